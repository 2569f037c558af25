package dev.jgrad.opencl;

/** A kernel file that the OpenCL compiler rejected; the message carries the file's name and the build log. */
public final class KernelBuildException extends RuntimeException {
    private final String fileName;
    private final String buildLog;

    KernelBuildException(String fileName, String deviceName, String buildLog, Throwable cause) {
        super("OpenCL build of kernel file " + fileName + " failed on " + deviceName + ":\n" + buildLog, cause);
        this.fileName = fileName;
        this.buildLog = buildLog;
    }

    public String fileName() {
        return fileName;
    }

    public String buildLog() {
        return buildLog;
    }
}
