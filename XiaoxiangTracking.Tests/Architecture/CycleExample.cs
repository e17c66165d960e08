namespace XiaoxiangTracking.Tests.Architecture.CycleExample.Ping
{
    /// <summary>One side of the cycle rule's counter-example (compiled, never run): it calls the other folder.</summary>
    internal static class Ping
    {
        public static int Serve() => Pong.Pong.Return() + 1;
    }
}

namespace XiaoxiangTracking.Tests.Architecture.CycleExample.Pong
{
    /// <summary>The other side, which calls back.</summary>
    internal static class Pong
    {
        public static int Return() => 1;

        public static int Rally() => Ping.Ping.Serve();
    }
}
