import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.mjs";

initAll();
initAutosave();
