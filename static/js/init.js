// Start GOV.UK Frontend's components (error summary focus, service navigation
// menu, accordions, …) and the service's own: the session-timeout warning.
// Loaded as type="module": govuk-frontend v6 ships ES modules.
import { initAll } from "./govuk-frontend.min.js";
import { initTimeoutWarning } from "./timeout-warning.js";

initAll();
initTimeoutWarning();
