using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Usd1Reconciler.Configuration;

/// <summary>This instance among others on one shared store (issue 14: PostgreSQL, more than one `usd1rec run`).</summary>
public sealed class InstanceOptions
{
    /// <summary>
    /// The instance's name in the network writer leases, in Quartz's cluster, in log lines, in the
    /// <c>usd1_instance_info</c> metric and in each Alertmanager push (annotation <c>instance</c>). Must be unique among
    /// the instances of one store: two live instances under one id would take each other's leases.
    /// <value>Default <c>&lt;host name&gt;-&lt;pid&gt;</c>: unique on one machine and, in containers, per container (its
    /// own host name).</value> Set it to a stable name (e.g. <c>usd1rec-a</c>) to read dashboards and logs by it; then
    /// a restarted instance takes back its own lease at once instead of waiting for it to run out.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "must be 1-64 letters, digits, '.', '-' or '_'")]
    public string? Id { get; set; }

    /// <summary>
    /// How long a network writer lease lasts past its last renewal, in database time (PostgreSQL only; renewed at half
    /// of it). A standby takes a network over within about this long after its writer died or lost the database.
    /// <value>Default 6 s (the takeover figures in docs/operations-ha.md were measured with it); 2 s to 5 min.</value>
    /// </summary>
    [DurationRange("00:00:02", Maximum = "00:05:00", Reason = "as a standby waits this long after a writer dies")]
    public TimeSpan WriterLease { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>The configured id, or host name and pid (a method, not a property: options properties are keys).</summary>
    public string ResolveId() => string.IsNullOrWhiteSpace(Id)
        ? string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}")
        : Id;
}
