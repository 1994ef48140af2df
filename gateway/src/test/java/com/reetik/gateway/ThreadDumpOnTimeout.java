package com.reetik.gateway;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails on a timeout (a request with no answer: the stall of docs/performance.md), prints where every
 * thread of the JVM stands (the gateway's and the test client's), so the report holds what a later look needs.
 * It reports only; the test still fails.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (isTimeout(failure)) {
            StringBuilder dump = new StringBuilder("THREAD DUMP at the timeout of " + context.getDisplayName() + "\n");
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
                if (thread.getLockName() != null) {
                    dump.append(" on ").append(thread.getLockName());
                }
                if (thread.getLockOwnerName() != null) {
                    dump.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
                }
                dump.append('\n');
                for (StackTraceElement frame : thread.getStackTrace()) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
            System.out.println(dump);
        }
        throw failure;
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || String.valueOf(t.getMessage()).contains("Timeout on blocking read")
                    || t.getClass().getSimpleName().equals("ConditionTimeoutException")) {
                return true;
            }
        }
        return false;
    }
}
