package dev.llmplan.plan;

import dev.llmplan.engine.Currency;
import dev.llmplan.engine.Price;

/**
 * What a recommend listing's cost column means. One basis per listing, so rows are never ranked
 * against costs of another kind (an hourly price against a whole training run).
 */
public enum CostBasis {
    PURCHASE("purchase", "purchase", "purchase price", "no purchase price in the catalog"),
    HOURLY("hourly", "rent per hour", "hourly rent", "no hourly price in the catalog"),
    TRAINING_RUN("trainingRun", "rent for the training run", "rent for the whole training run",
            "no hourly price in the catalog");

    private final String id;
    private final String label;
    private final String heading;
    private final String noPrice;

    CostBasis(String id, String label, String heading, String noPrice) {
        this.id = id;
        this.label = label;
        this.heading = heading;
        this.noPrice = noPrice;
    }

    /** The JSON value. */
    public String id() {
        return id;
    }

    /** How one row's cost is described. */
    public String label() {
        return label;
    }

    /** How a listing's ranking is described. */
    public String heading() {
        return heading;
    }

    /** The basis a request asks for: renting a training run needs --rent and a token count. */
    public static CostBasis of(boolean rent, boolean training, Long trainTokens) {
        if (!rent) {
            return PURCHASE;
        }
        return training && trainTokens != null ? TRAINING_RUN : HOURLY;
    }

    /**
     * The cost of {@code f} at {@code speed} on this basis in {@code c}; null with {@link #unknownReason} when it
     * cannot be known.
     */
    Price.Money cost(FitResult f, Speed speed, Currency c) {
        return switch (this) {
            case PURCHASE -> f.hardware().purchase(c);
            case HOURLY -> f.hardware().hourly(c);
            case TRAINING_RUN -> f.hardware().hourly(c) == null || speed.totalSeconds() == null ? null
                    : f.hardware().hourly(c).times(speed.totalSeconds() / 3600);
        };
    }

    /** Why {@link #cost} is null. */
    String unknownReason(FitResult f, Speed speed) {
        if (this == PURCHASE ? f.hardware().purchaseUsd() == null : f.hardware().hourlyUsd() == null) {
            return noPrice;
        }
        return "training time unknown (no bandwidth or FP16 figure in the catalog)";
    }
}
