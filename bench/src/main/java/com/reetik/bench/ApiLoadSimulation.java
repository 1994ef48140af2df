package com.reetik.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 4's load (run by {@link ApiLoad}), one endpoint per run: a warm-up at the first rate (JIT and pools of
 * both sides; its requests are named {@code warm-up}), then each rate of {@code reetik.bench.rates} in turn for
 * {@code reetik.bench.seconds}, an open model (that many new users per second, one request each), its requests named
 * {@code <endpoint>@<rate>} so that Gatling's report gives the percentiles of each rate. The endpoint
 * ({@code reetik.bench.endpoint}) is {@code one} ({@code GET /api/videos/{id}}), {@code list} ({@code GET
 * /api/videos}) or {@code create} ({@code POST /api/videos}), with the feeder's token and video id.
 */
public class ApiLoadSimulation extends Simulation {

    {
        String endpoint = System.getProperty("reetik.bench.endpoint", "one");
        int seconds = Integer.getInteger("reetik.bench.seconds", 15);
        String feeder = System.getProperty("reetik.bench.feeder");
        List<Integer> rates = new ArrayList<>();
        for (String rate : System.getProperty("reetik.bench.rates", "50").split(",")) {
            rates.add(Integer.parseInt(rate.trim()));
        }
        List<PopulationBuilder> phases = new ArrayList<>();
        phases.add(phase("warm-up", endpoint, feeder, rates.get(0), seconds));
        for (int rate : rates) {
            phases.add(phase(endpoint + "@" + rate, endpoint, feeder, rate, seconds));
        }
        // One phase after the other: the first with the rest chained behind it.
        PopulationBuilder chain = phases.get(phases.size() - 1);
        for (int i = phases.size() - 2; i >= 0; i--) {
            chain = phases.get(i).andThen(chain);
        }
        setUp(chain).protocols(http.baseUrl(System.getProperty("reetik.bench.base-url")).shareConnections());
    }

    private static PopulationBuilder phase(String name, String endpoint, String feeder, int rate, int seconds) {
        HttpRequestActionBuilder request = switch (endpoint) {
            case "one" -> http(name).get("/api/videos/#{videoId}").check(status().is(200));
            case "list" -> http(name).get("/api/videos").check(status().is(200));
            case "create" -> http(name).post("/api/videos")
                    .body(StringBody("{\"theme\":\"Les volcans d'Islande\",\"target_duration\":16}"))
                    .asJson().check(status().is(202));
            default -> throw new IllegalArgumentException("endpoint: one, list or create, not " + endpoint);
        };
        return scenario(name).feed(csv(feeder).circular())
                .exec(request.header("Authorization", "Bearer #{token}"))
                .injectOpen(constantUsersPerSec(rate).during(Duration.ofSeconds(seconds)));
    }
}
