import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.mjs";
import { initJobStatus } from "./job-status.mjs";
import { initSessionTimeout } from "./session-timeout.mjs";

initAll();
initAutosave();
initJobStatus();
initSessionTimeout();
