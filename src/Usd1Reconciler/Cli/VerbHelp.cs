using System.CommandLine;
using System.CommandLine.Help;

namespace Usd1Reconciler.Cli;

/// <summary>
/// The part of a verb's `--help` that System.CommandLine cannot derive: examples to copy and the exit codes the verb
/// really returns (scripts, systemd's RestartPreventExitStatus and CI branch on them). Appended after the generated
/// sections for every command that has one; a house-rule test holds every verb to it.
/// </summary>
internal sealed record VerbHelp(IReadOnlyList<string> Examples, IReadOnlyList<(int Code, string Meaning)> ExitCodes)
{
    /// <summary>Usage errors (an unknown option, a missing --config) exit 2, as an invalid configuration does: nothing ran.</summary>
    public const string InvalidInput = "invalid configuration or command line (one line per problem, naming the key or option); nothing was started or written";

    /// <summary>Wires the examples and exit codes into the root's help option, after the generated help of every command that has them.</summary>
    public static void Attach(RootCommand root, IReadOnlyDictionary<Command, VerbHelp> verbs)
    {
        ArgumentNullException.ThrowIfNull(root);
        var help = root.Options.OfType<HelpOption>().Single();
        var generated = (HelpAction)help.Action!;
        generated.MaxWidth = HelpWidth();
        help.Action = new Action(generated, verbs);
    }

    private void WriteTo(TextWriter output)
    {
        output.WriteLine("Examples:");
        foreach (var example in Examples)
        {
            output.WriteLine($"  {example}");
        }

        output.WriteLine();
        output.WriteLine("Exit codes:");
        foreach (var (code, meaning) in ExitCodes)
        {
            output.WriteLine($"  {code}  {meaning}");
        }

        output.WriteLine();
    }

    private static int HelpWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? 120 : Math.Max(80, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 120;
        }
    }

    /// <summary>The generated help, then the verb's examples and exit codes; like the generated help it wins over parse errors (`index --help` needs no --config).</summary>
    private sealed class Action(HelpAction generated, IReadOnlyDictionary<Command, VerbHelp> verbs) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var exit = generated.Invoke(parseResult);
            if (verbs.TryGetValue(parseResult.CommandResult.Command, out var verb))
            {
                verb.WriteTo(parseResult.InvocationConfiguration.Output);
            }

            return exit;
        }
    }
}
