using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Alerting;

/// <summary>
/// The one reading of the Alerting options into the store's paging rules, shared by the daemon's screener and by the
/// verbs that raise conditions outside it (the token identity check of `index` and `reconcile`), so an anomaly is
/// queued or recorded as not paged the same way whichever process raised it.
/// </summary>
internal static class AnomalyPagingFactory
{
    public static AnomalyPaging Create(AlertingOptions alerting)
    {
        ArgumentNullException.ThrowIfNull(alerting);
        return new AnomalyPaging(alerting.Cooldown, alerting.Lookback, AlertmanagerConfigured: alerting.AlertmanagerUrls.Count > 0);
    }
}
