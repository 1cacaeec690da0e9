using System.CommandLine;
using Crane.Cli;

var root = new RootCommand("crane — multimodal recommendation: train, evaluate and recommend from interactions and item content.")
{
    DemoCommand.Create(),
};
return root.Parse(args).Invoke();
