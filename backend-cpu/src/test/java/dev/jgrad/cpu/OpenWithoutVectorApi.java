package dev.jgrad.cpu;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;

/** Opens "cpu" and then "auto" and prints each failure's message; run without the Vector API by {@link VectorApiMissingTest}. */
public final class OpenWithoutVectorApi {
    private OpenWithoutVectorApi() {}

    public static void main(String[] args) {
        for (String spec : new String[] {"cpu", "auto"}) {
            try (Device d = Devices.open(spec)) {
                System.out.println(spec + ": opened " + d.info().id());
            } catch (RuntimeException e) {
                System.out.println(spec + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
