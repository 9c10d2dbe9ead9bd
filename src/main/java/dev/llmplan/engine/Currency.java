package dev.llmplan.engine;

import java.util.Locale;

/** The currency prices are shown and ranked in. */
public enum Currency {
    USD("usd", "$"),
    JPY("jpy", "¥");

    private final String id;
    private final String symbol;

    Currency(String id, String symbol) {
        this.id = id;
        this.symbol = symbol;
    }

    public String id() {
        return id;
    }

    public String symbol() {
        return symbol;
    }

    /** The three-letter code as printed in headings ("USD"). */
    public String code() {
        return name();
    }

    public static Currency parse(String text) {
        for (Currency c : values()) {
            if (c.id.equalsIgnoreCase(text == null ? "" : text.trim())) {
                return c;
            }
        }
        throw LlmplanException.invalid("unknown currency '" + Printable.of(String.valueOf(text)) + "': expected usd or jpy");
    }

    /** An amount with its symbol: "$1,599", "¥25,000,000"; cents below 100 of a unit ("$0.34"). */
    public String format(double amount) {
        return symbol + Fmt.format(amount < 100 ? "%,.2f" : "%,.0f", amount);
    }
}
