// What the Tools panel's actions need: switching the wire format, Format,
// adding a definition, and building one from the New function form. Fetched
// on first use (loadToolsEditing), never on the page's startup path.

export { convertTools, convertToolsText, formatJsonText } from './convert';
export { appendTool } from './append';
export { toolFromForm } from './form';
