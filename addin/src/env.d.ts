// Office.js globals (Office, Excel, OfficeExtension) for the pane; the root tsconfig limits `types` to node.
/// <reference types="office-js" />
