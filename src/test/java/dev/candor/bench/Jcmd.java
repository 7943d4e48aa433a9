package dev.candor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JDK's {@code jcmd} against one server JVM: full GC, precise heap use and thread dumps. */
final class Jcmd {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final long pid;
    private final Path executable = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    Jcmd(long pid) {
        this.pid = pid;
    }

    /** Runs two full collections ({@code GC.run}), a moment apart, so that the heap reading after it is stable. */
    void fullGc() {
        run("GC.run");
        Progress.pause(Duration.ofMillis(500));
        run("GC.run");
    }

    /** Heap in use now, in KiB, from {@code GC.heap_info}. */
    long heapUsedKiB() {
        String info = run("GC.heap_info");
        Matcher matcher = HEAP_USED.matcher(info);
        if (!matcher.find()) {
            throw new IllegalStateException("no 'heap total ..K, used ..K' line in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(matcher.group(1));
    }

    String threadDump() {
        return run("Thread.print");
    }

    private String run(String command) {
        try {
            Process process = new ProcessBuilder(executable.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd " + command, e);
        }
    }
}
