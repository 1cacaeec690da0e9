// Train LightGCN on an MMRec-layout folder, save it, load it and ask it for recommendations.
// Usage: dotnet run --project samples/QuickStart [-- <dataset folder>]   (default: a generated demo folder)
using Crane.Data;
using Crane.Models;
using Crane.Serving;
using Crane.Training;

string folder = args.Length > 0 ? args[0] : DemoFolder();
var data = DatasetReader.Load(folder).Dataset;
Console.WriteLine($"{data.Name}: {data.UserCount:N0} users, {data.ItemCount:N0} items, {data.Train.Count:N0} training interactions");

var model = new LightGcn(data, new LightGcnSettings { Layers = 2, RegWeight = 1e-3f }, seed: 999);
var result = new Trainer(new TrainerOptions(Epochs: 30, Patience: 5, LearningRate: 0.01f)).Train(model, data);
Console.WriteLine($"best epoch {result.BestEpoch}: valid recall@20 {result.BestValidation["recall@20"]:F4}, test recall@20 {result.Test["recall@20"]:F4}");

string path = Path.Combine(Path.GetTempPath(), "quickstart-lightgcn.crane");
TrainedModel.From(model, data).Save(path);
var trained = TrainedModel.Load(path);            // what a server or a batch job does: load once, then ask

string user = trained.UserIds.Raw(0);
Console.WriteLine($"top 5 for user {user}:");
foreach (var item in trained.Recommend(user, k: 5)) Console.WriteLine($"  {item.ItemId,-8} {item.Score:F4}");
string first = trained.SeenItems(user)[0];
Console.WriteLine($"items like {first}: {string.Join(", ", trained.SimilarItems(first, k: 5).Select(s => s.ItemId))}");

// A small synthetic dataset in the MMRec layout (demo.inter + image and text features).
static string DemoFolder()
{
    string demo = Path.Combine(Path.GetTempPath(), "crane-quickstart-demo");
    if (!Directory.Exists(demo)) DatasetWriter.Write(SyntheticGenerator.Generate(SyntheticOptions.Tiny), demo);
    return demo;
}
