/** commands.html: the ribbon's FunctionFile. All three VCX buttons open the pane, so nothing runs here. */
Office.onReady(() => undefined);
