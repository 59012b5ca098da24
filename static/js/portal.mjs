import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.mjs";
import { initJobStatus } from "./job-status.mjs";

initAll();
initAutosave();
initJobStatus();
