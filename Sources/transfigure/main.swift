// Entry point: parse, run, and turn every failure into one `error:` line.
CommandLine.runTransfigure()
