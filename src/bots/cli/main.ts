// The postbag command: started with its process settings (src/process-settings.ts), then run by console-main.ts.
import { applyProcessSettings } from "../../process-settings.ts";

applyProcessSettings("console");
await import("./console-main.ts");
