// What only the Tools panel's editor needs: the examples it inserts and the
// keys and values its completion offers. Fetched with the panel (through
// loadToolsEditorAids), never on the page's startup path.

export { TOOL_TEMPLATES } from './templates';
export { toolKeySuggestions } from './keys';
