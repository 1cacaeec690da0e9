using Crane.Cli;

return CraneCommand.Create().Parse(args).Invoke();
