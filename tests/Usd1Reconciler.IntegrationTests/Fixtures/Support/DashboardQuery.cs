namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>One panel target: the expression as written and as Grafana would send it with "All" selected.</summary>
internal sealed record DashboardQuery(int PanelId, string PanelTitle, string RefId, string Expr, string Expanded)
{
    public override string ToString() => $"panel {PanelId} \"{PanelTitle}\" {RefId}: {Expanded}";
}
