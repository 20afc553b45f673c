// Postbag's server: started with its process settings (src/process-settings.ts), then composed in src/serve.ts.
import { applyProcessSettings } from "./process-settings.ts";

applyProcessSettings("server");
await import("./serve.ts");
