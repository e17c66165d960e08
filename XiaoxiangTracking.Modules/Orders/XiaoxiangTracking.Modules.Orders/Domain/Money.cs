namespace XiaoxiangTracking.Modules.Orders.Domain;

internal static class Money
{
    /// <summary>
    /// CNY amounts carry exactly two decimals (decimal(10,2)); 6.5 becomes 6.50 so an amount reads the same whether
    /// it was just computed or loaded from the database.
    /// </summary>
    public static decimal TwoDecimals(decimal amount) => decimal.Round(amount * 1.00m, 2, MidpointRounding.ToEven);
}
