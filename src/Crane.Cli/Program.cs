using Crane.Cli;

return CraneCommand.Run(args);
