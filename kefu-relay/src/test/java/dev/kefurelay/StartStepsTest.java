package dev.kefurelay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class StartStepsTest {

    @Test
    void eachStepIsTheTimeSinceTheLastOneAndABesideStepIsNotInTheTotal() {
        AtomicLong clock = new AtomicLong(1_000);
        StartSteps steps = new StartSteps(clock::get, 400);
        steps.done("jvm");
        clock.addAndGet(250);
        steps.done("camel configure");
        steps.beside("broker", 300);
        clock.addAndGet(50);
        steps.done("broker wait");
        assertEquals(List.of(new StartSteps.Step("jvm", 600, false), new StartSteps.Step("camel configure", 250, false),
                new StartSteps.Step("broker", 300, true), new StartSteps.Step("broker wait", 50, false)), steps.steps());
        assertEquals("jvm 600 ms, camel configure 250 ms, broker 300 ms beside, broker wait 50 ms; total 900 ms",
                steps.summary());
    }
}
