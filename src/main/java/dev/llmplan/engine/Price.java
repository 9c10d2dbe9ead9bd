package dev.llmplan.engine;

/** Purchase and rental prices with their kind and source; any may be null (unknown). */
public record Price(Double usd, String kind, String source, Double jpy, String jpyNote, Double hourlyUsd,
                   String hourlySource) {
    public static final Price NONE = new Price(null, null, null, null, null, null, null);

    /**
     * The survey's JPY figures converted for ranking: a round 150 JPY/USD, between the 2023 and 2024
     * annual averages (about 140 and 151, Federal Reserve H.10 release). Only systems priced in yen alone use it.
     */
    public static final double JPY_PER_USD = 150.0;

    /** A purchase price in USD: the USD figure, else the yen figure converted. */
    public Double purchaseUsd() {
        if (usd != null) {
            return usd;
        }
        return jpy == null ? null : jpy / JPY_PER_USD;
    }
}
