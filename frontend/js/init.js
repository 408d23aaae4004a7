// Start GOV.UK Frontend's components (error summary focus, service navigation
// menu, accordions, …). Loaded as type="module": govuk-frontend v6 ships ES modules.
import { initAll } from "./govuk-frontend.min.js";

initAll();
