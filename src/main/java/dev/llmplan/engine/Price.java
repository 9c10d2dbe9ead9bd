package dev.llmplan.engine;

/**
 * Purchase and rental prices with their kind and source; any may be null (unknown). {@code usd} is a list,
 * launch (MSRP), street or estimated price in US dollars with its source; {@code jpy} is the survey's yen
 * figure, kept in yen. A price is shown in the currency asked for; only when an entry has no figure of its
 * own in that currency is the other converted, at {@link #JPY_PER_USD}, and the amount says so.
 */
public record Price(Double usd, String kind, String source, Double jpy, String jpyNote, Double hourlyUsd,
                    String hourlySource) {
    public static final Price NONE = new Price(null, null, null, null, null, null, null);

    /**
     * Yen per US dollar for conversions: a round 150, between the 2023 and 2024 annual averages (about 140
     * and 151, Federal Reserve H.10 release).
     */
    public static final double JPY_PER_USD = 150.0;

    /** An amount in a currency; {@code converted} when it came from the other currency at {@link #JPY_PER_USD}. */
    public record Money(double amount, Currency currency, boolean converted) {
        public Money times(double n) {
            return new Money(amount * n, currency, converted);
        }

        /** The sum of two amounts in the same currency; converted when either was. */
        public Money plus(Money other) {
            return new Money(amount + other.amount, currency, converted || other.converted);
        }

        /** "$1,599", "¥25,000,000", "≈$166,667" for a converted amount. */
        public String text() {
            return (converted ? "≈" : "") + currency.format(amount);
        }
    }

    /** The purchase price in {@code c}: the entry's own figure in that currency, else the other converted; null when none. */
    public Money purchase(Currency c) {
        Double own = c == Currency.USD ? usd : jpy;
        if (own != null) {
            return new Money(own, c, false);
        }
        Double other = c == Currency.USD ? jpy : usd;
        return other == null ? null : new Money(convert(other, c), c, true);
    }

    /** The hourly rent in {@code c} (catalog rents are USD). */
    public Money hourly(Currency c) {
        if (hourlyUsd == null) {
            return null;
        }
        return c == Currency.USD ? new Money(hourlyUsd, c, false) : new Money(hourlyUsd * JPY_PER_USD, c, true);
    }

    /** A purchase price in USD: the USD figure, else the yen figure converted. */
    public Double purchaseUsd() {
        Money m = purchase(Currency.USD);
        return m == null ? null : m.amount();
    }

    /** An amount in the other currency converted to {@code to}. */
    private static double convert(double amount, Currency to) {
        return to == Currency.USD ? amount / JPY_PER_USD : amount * JPY_PER_USD;
    }
}
