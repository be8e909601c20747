// Starts `qualispec lsp` (the language server of qualispec) for .spec files.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("qualispec");
  const [command, ...args] = settings.get("command", ["qualispec", "lsp"]);
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient("qualispec", "qualispec", server, {
    documentSelector: [{ scheme: "file", language: "qualispec" }],
    initializationOptions: { lang: settings.get("lang", "fr") },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
