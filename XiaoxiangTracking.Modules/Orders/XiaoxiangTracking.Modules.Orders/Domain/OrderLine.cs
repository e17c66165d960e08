namespace XiaoxiangTracking.Modules.Orders.Domain;

/// <summary>One product on an order, priced when the order is placed.</summary>
internal sealed class OrderLine
{
    private OrderLine()
    {
    }

    public OrderLine(int lineNumber, string sku, string name, int quantity, decimal unitPrice)
    {
        LineNumber = lineNumber;
        Sku = sku;
        Name = name;
        Quantity = quantity;
        UnitPrice = Money.TwoDecimals(unitPrice);
    }

    public int LineNumber { get; private set; }

    public string Sku { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public int Quantity { get; private set; }

    public decimal UnitPrice { get; private set; }

    public decimal LineTotal => Quantity * UnitPrice;
}
