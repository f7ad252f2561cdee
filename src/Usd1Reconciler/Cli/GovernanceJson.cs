using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Usd1Reconciler.Cli;

/// <summary>
/// The JSON of `usd1rec governance --json` — exactly the shape issue 15 gives:
/// <c>{"networks":[{"name","governanceProof":"ok|mismatch|stale","drift":[{"kind","subject","expected","actual","block","tx"}],"state":{…}}]}</c>
/// (block and tx null where no change is known) — and of `governance log --format json`. Amounts are decimal strings.
/// </summary>
internal static class GovernanceJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyList<GovernanceView> networks)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("networks");
            foreach (var n in networks)
            {
                w.WriteStartObject();
                w.WriteString("name", n.Name);
                w.WriteString("governanceProof", GovernanceCommand.StatusText(n.Proof));
                w.WriteStartArray("drift");
                foreach (var d in n.Drift)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", d.Kind);
                    w.WriteString("subject", d.Subject);
                    w.WriteString("expected", d.Expected);
                    w.WriteString("actual", d.Actual);
                    if (d.BlockNumber is { } block)
                    {
                        w.WriteNumber("block", block);
                    }
                    else
                    {
                        w.WriteNull("block");
                    }

                    w.WriteString("tx", d.TransactionId);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                WriteState(w, n);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string WriteLog(IReadOnlyList<GovernanceLogEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("changes");
            foreach (var e in entries)
            {
                var c = e.Change;
                w.WriteStartObject();
                w.WriteString("network", c.Network);
                w.WriteNumber("block", c.BlockNumber);
                w.WriteString("time", c.BlockTime?.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("tx", c.TransactionId);
                w.WriteNumber("logIndex", c.Position);
                w.WriteString("actor", c.Actor);
                w.WriteString("kind", c.Kind.ToString());
                w.WriteString("subject", c.Subject);
                w.WriteString("old", c.OldValue);
                w.WriteString("new", c.NewValue);
                w.WriteBoolean("final", c.IsFinal);
                w.WriteString("explorer", e.Explorer);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteState(Utf8JsonWriter w, GovernanceView n)
    {
        var s = n.State;
        w.WriteStartObject("state");
        w.WriteString("hash", s.ComputeHash());
        w.WriteNumber("throughBlock", s.ThroughBlock);
        w.WriteString("owner", s.Owner);
        w.WriteString("pendingOwner", s.PendingOwner);
        w.WriteBoolean("paused", s.Paused == true);
        w.WriteString("implementation", s.Implementation);
        w.WriteString("proxyAdmin", s.ProxyAdmin);
        w.WriteString("beacon", s.Beacon);
        w.WriteStartObject("roles");
        foreach (var (role, holders) in s.Roles)
        {
            w.WriteStartArray(role);
            foreach (var h in holders)
            {
                w.WriteStringValue(h);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteStartObject("roleAdmins");
        foreach (var (role, admin) in s.RoleAdmins)
        {
            w.WriteString(role, admin);
        }

        w.WriteEndObject();
        w.WriteStartObject("minters");
        foreach (var (minter, allowance) in s.Minters)
        {
            w.WriteString(minter, allowance.ToString(CultureInfo.InvariantCulture));
        }

        w.WriteEndObject();
        w.WriteStartObject("authorities");
        foreach (var (key, holder) in s.Authorities)
        {
            w.WriteString(key, holder);
        }

        w.WriteEndObject();
        w.WriteNumber("denylistedCount", s.Denylisted.Count);
        w.WriteStartArray("denylisted");
        foreach (var a in s.Denylisted)
        {
            w.WriteStringValue(a);
        }

        w.WriteEndArray();
        w.WriteStartArray("frozen");
        foreach (var a in s.Frozen)
        {
            w.WriteStringValue(a);
        }

        w.WriteEndArray();
        w.WriteStartObject("declared");
        foreach (var (entry, arguments) in s.Declared)
        {
            w.WriteString(entry, arguments);
        }

        w.WriteEndObject();
        if (n.Reading is { } r)
        {
            w.WriteStartObject("proof");
            w.WriteNumber("block", r.BlockNumber);
            w.WriteString("checkedAt", r.CheckedAt.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("stateHash", r.StateHash);
            w.WriteStartArray("differences");
            foreach (var d in r.Differences)
            {
                w.WriteStartObject();
                w.WriteString("subject", d.Subject);
                w.WriteString("events", d.Folded);
                w.WriteString("chain", d.Chain);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
