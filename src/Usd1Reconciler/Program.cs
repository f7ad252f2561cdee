namespace Usd1Reconciler; internal static class Program { private static int Main() => 0; }
