package dev.globalevents.runtime.reporting;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Memory and CPU of this JVM process, for the {@code memory_usage} and {@code cpu_usage} metrics. */
public final class ProcessStats {

	private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
	private static final com.sun.management.OperatingSystemMXBean OS =
			(com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private ProcessStats() {
	}

	/** Heap plus non-heap memory in use, bytes. */
	public static double memoryBytes() {
		return MEMORY.getHeapMemoryUsage().getUsed() + MEMORY.getNonHeapMemoryUsage().getUsed();
	}

	/** Recent CPU load of this process as a share of the machine's CPUs, 0 to 1. */
	public static double cpuLoad() {
		double load = OS.getProcessCpuLoad();
		return load < 0 ? 0 : Math.min(1, load);
	}
}
