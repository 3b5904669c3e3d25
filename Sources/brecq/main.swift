import BrecqCLI

// Everything the command does lives in BrecqCLI, where CLITests parse it in process.
await Brecq.commandLineMain()
