// The whole extension: start `cnnlint server` for Python files; VS Code's LSP client does the rest.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

exports.activate = function activate() {
  const [command, ...args] = vscode.workspace.getConfiguration("cnnlint").get("command");
  client = new LanguageClient("cnnlint", "cnnlint", { command, args }, {
    documentSelector: [{ scheme: "file", language: "python" }],
  });
  return client.start();
};

exports.deactivate = function deactivate() {
  return client ? client.stop() : undefined;
};
