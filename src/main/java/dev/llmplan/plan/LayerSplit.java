package dev.llmplan.plan;

/**
 * Whole layers per card in proportion to free memory, as llama.cpp's --tensor-split and
 * accelerate's device_map="auto" do. Largest-remainder rounding keeps the total exact.
 */
public final class LayerSplit {
    private LayerSplit() {
    }

    /** Layers per card; {@code free} may hold zeros (a card with no room gets no layers unless all are full). */
    public static int[] split(int layers, double[] free) {
        int n = free.length;
        int[] out = new int[n];
        double sum = 0;
        for (double f : free) {
            sum += Math.max(0, f);
        }
        double[] exact = new double[n];
        int given = 0;
        for (int i = 0; i < n; i++) {
            exact[i] = sum <= 0 ? layers / (double) n : layers * Math.max(0, free[i]) / sum;
            out[i] = (int) Math.floor(exact[i]);
            given += out[i];
        }
        while (given < layers) {
            int best = 0;
            double bestRem = -1;
            for (int i = 0; i < n; i++) {
                double rem = exact[i] - out[i];
                if (rem > bestRem) {
                    bestRem = rem;
                    best = i;
                }
            }
            out[best]++;
            exact[best] = out[best];
            given++;
        }
        return out;
    }
}
