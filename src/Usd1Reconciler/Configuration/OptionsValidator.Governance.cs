using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Evm.Decoding;

namespace Usd1Reconciler.Configuration;

public static partial class OptionsValidator
{
    /// <summary>
    /// The governance policy's addresses and roles, and the declared events: the ABI file must read and hold every
    /// declared event (a malformed file or an unknown signature stops the verb before anything starts, naming the key).
    /// </summary>
    private static void ValidateGovernance(NetworkOptions n, string key, List<string> problems)
    {
        if (n.Governance is not { } g)
        {
            return;
        }

        var prefix = $"{key}:Governance";
        if (n.Kind == NetworkKind.Evm)
        {
            foreach (var (role, holders) in g.RoleHolders)
            {
                if (!GovernancePolicyFactory.TryRole(role, out _))
                {
                    problems.Add($"{prefix}:RoleHolders: role '{role}' is neither a name (letters, digits, '_') nor 0x + 64 hex digits");
                }

                foreach (var holder in holders.Where(h => !GovernancePolicyFactory.IsEvmAddress(h)))
                {
                    problems.Add($"{prefix}:RoleHolders:{role}: '{holder}' is not an address (0x + 40 hex digits)");
                }
            }

            var addresses = g.MaxMinterAllowances.Keys.Select(k => ("MaxMinterAllowances", k))
                .Concat(g.Implementations.Select(i => ("Implementations", i)))
                .Concat(new[] { ("Owner", g.Owner), ("ProxyAdmin", g.ProxyAdmin) }.Where(a => a.Item2 is not null).Select(a => (a.Item1, a.Item2!)));
            foreach (var (name, address) in addresses.Where(a => !GovernancePolicyFactory.IsEvmAddress(a.Item2)))
            {
                problems.Add($"{prefix}:{name}: '{address}' is not an address (0x + 40 hex digits)");
            }
        }

        if (n.Kind == NetworkKind.Solana)
        {
            ValidateSolanaGovernance(g, prefix, problems);
        }

        if (g.DeclaredPolicy.Count > 0 && g.DeclaredEvents.Count == 0)
        {
            problems.Add($"{prefix}:DeclaredPolicy: applies to {prefix}:DeclaredEvents, and none are declared");
        }

        if (g.DeclaredEvents.Count > 0 && g.AbiFile is null)
        {
            problems.Add($"{prefix}:DeclaredEvents: needs {prefix}:AbiFile, the token's ABI JSON file the events are declared in");
        }

        if (g.AbiFile is not { } abiFile)
        {
            return;
        }

        if (n.Kind != NetworkKind.Evm)
        {
            problems.Add($"{prefix}:AbiFile: applies to Evm networks only");
            return;
        }

        string json;
        try
        {
            json = File.ReadAllText(abiFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{prefix}:AbiFile: '{abiFile}' cannot be read: {ex.Message}");
            return;
        }

        DeclaredEventDecoder decoder;
        try
        {
            decoder = DeclaredEventDecoder.Load(json, g.DeclaredEvents);
        }
        catch (FormatException ex)
        {
            // Load's messages say whether the file or one declared event is at fault; name the key that must change.
            var at = ex.Message.StartsWith("declares", StringComparison.Ordinal) ? $"{prefix}:DeclaredEvents" : $"{prefix}:AbiFile";
            problems.Add($"{at}: '{abiFile}' {ex.Message}");
            return;
        }

        ValidateDeclaredPolicy(g, decoder, prefix, problems);
    }

    /// <summary>
    /// Each declared-event policy must name a declared event and, where it names arguments, arguments that event has;
    /// allowed values need the argument they are values of, allowed actors the argument that names the actor. A rule
    /// that silently matched nothing would let an event outside policy pass.
    /// </summary>
    private static void ValidateDeclaredPolicy(GovernanceOptions g, DeclaredEventDecoder decoder, string prefix, List<string> problems)
    {
        foreach (var (declaration, rule) in g.DeclaredPolicy)
        {
            var at = $"{prefix}:DeclaredPolicy:{declaration}";
            if (!decoder.TryDescribe(declaration, out var name, out var arguments))
            {
                problems.Add($"{at}: '{declaration}' is not one of {prefix}:DeclaredEvents ({string.Join(", ", g.DeclaredEvents)}); name it as listed there");
                continue;
            }

            foreach (var (field, argument) in new[] { ("Value", rule.Value), ("Actor", rule.Actor) })
            {
                if (argument is not null && !arguments.Any(a => a.Name == argument))
                {
                    problems.Add($"{at}:{field}: '{argument}' is not an argument of {name} (its arguments: {string.Join(", ", arguments.Select(a => a.Name))})");
                }
            }

            if (rule.AllowedValues.Count > 0 && rule.Value is null)
            {
                problems.Add($"{at}:AllowedValues: needs {at}:Value, the argument the values are of");
            }

            if (rule.AllowedActors.Count > 0 && rule.Actor is null)
            {
                problems.Add($"{at}:AllowedActors: needs {at}:Actor, the argument that names who acted");
            }
        }
    }
}
