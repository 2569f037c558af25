package dev.jgrad.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.jgrad.data.DataFormatException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes
 * of UTF-8 JSON ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the tensors' little-endian bytes, offsets counted from the end of the header.
 *
 * <p>Reading trusts nothing in the file: every number in the header is checked against the file's size
 * before anything is allocated, the tensors must tile the data section exactly (no gaps, overlaps or
 * trailing bytes), and every problem is a {@link DataFormatException} naming the file. Jgrad writes F32;
 * it reads F32 and converts F16, BF16, F64, I64 and I32.
 *
 * <p>Integrity: every file jgrad writes carries, for each tensor, the CRC32C of its data bytes as hex in the
 * metadata key {@value #CHECKSUM_PREFIX}{@code <name>} (other safetensors readers ignore metadata). Reading
 * verifies each checksum and names the tensor that fails; a file without checksums (another tool's) is read
 * unverified. The checksum keys are not part of the metadata a read returns, and a write computes its own.
 */
public final class Safetensors {
    /** Larger headers are refused: real ones are kilobytes, and the header is read into memory whole. */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    private static final String METADATA_KEY = "__metadata__";
    /** Metadata keys starting with this hold a tensor's CRC32C (8 hex digits); the tensor's name follows it. */
    public static final String CHECKSUM_PREFIX = "jgrad.crc32c.";
    private static final int CHUNK_BYTES = 1 << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(40).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Safetensors() {}

    // ---- reading ----------------------------------------------------------------------------------

    /**
     * Reads and checks a whole safetensors file, verifying its checksums when it has them.
     *
     * @param file the file; a folder or a FIFO is refused at once
     * @return its tensors and metadata (without the checksum keys)
     * @throws DataFormatException when the file is not a regular file or not a well-formed safetensors file,
     *                             or a tensor fails its checksum; the message names the file and the problem
     * @throws IOException when the file cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        if (java.nio.file.Files.exists(file)) dev.jgrad.data.FileKind.requireRegularFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, ch.size(), file.toString());
        }
    }

    /**
     * Reads and checks a safetensors file held in memory.
     *
     * @param bytes  the file's content
     * @param source names it in messages
     * @return its tensors and metadata
     * @throws DataFormatException when the bytes are not a well-formed safetensors file of F32 tensors
     */
    public static SafetensorsFile decode(byte[] bytes, String source) throws DataFormatException {
        try {
            return read(Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length, source);
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        }
    }

    /** Reads {@code length} bytes of safetensors from {@code in}, sequentially. */
    static SafetensorsFile read(ReadableByteChannel in, long length, String source) throws IOException {
        if (length < 8) throw bad(source, "is " + length + " bytes long, too short for a safetensors header length");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(in, lenBuf, source);
        long headerLength = lenBuf.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw bad(source, "declares a header of " + Long.toUnsignedString(headerLength) + " bytes, over the limit of "
                    + MAX_HEADER_BYTES + " (not a safetensors file?)");
        }
        if (headerLength > length - 8) {
            throw bad(source, "declares a header of " + headerLength + " bytes but only " + (length - 8) + " follow");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(in, headerBytes, source);
        Header header = parseHeader(utf8(headerBytes.flip(), source), source);
        long dataLength = length - 8 - headerLength;
        List<Entry> entries = checkLayout(header.entries, dataLength, source);

        Map<String, Integer> checksums = checksums(header, source);
        Map<String, HostArray> byName = new LinkedHashMap<>();
        for (Entry e : entries) byName.put(e.name, null);
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, dataLength))).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(e -> e.begin));
        CRC32C crc = new CRC32C();
        for (Entry e : byOffset) {
            crc.reset();
            byName.put(e.name, new HostArray(e.shape, readValues(in, e, chunk, crc, source)));
            Integer expected = checksums.get(e.name);
            if (expected != null && expected != (int) crc.getValue()) {
                throw bad(source, "tensor \"" + clip(e.name) + "\" fails its CRC32C checksum (stored " + hex(expected) + ", data gives "
                        + hex((int) crc.getValue()) + "): the file is corrupt; restore it from a copy");
            }
        }
        return new SafetensorsFile(byName, header.metadata);
    }

    /**
     * Removes the checksum keys from the header's metadata and returns them by tensor name: none for a file
     * without checksums; for a file with some, every tensor must have one (a missing one means the header
     * was edited).
     */
    private static Map<String, Integer> checksums(Header header, String source) throws DataFormatException {
        Map<String, Integer> out = new LinkedHashMap<>();
        var it = header.metadata.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> m = it.next();
            if (!m.getKey().startsWith(CHECKSUM_PREFIX)) continue;
            String name = m.getKey().substring(CHECKSUM_PREFIX.length());
            String value = m.getValue();
            if (value.length() != 8 || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw bad(source, "metadata " + clip(m.getKey()) + " = \"" + clip(value) + "\" is not a CRC32C (8 hex digits)");
            }
            out.put(name, Integer.parseUnsignedInt(value, 16));
            it.remove();
        }
        if (out.isEmpty()) return out;
        Set<String> names = new HashSet<>();
        for (Entry e : header.entries) {
            names.add(e.name);
            if (!out.containsKey(e.name)) {
                throw bad(source, "tensor \"" + clip(e.name) + "\" has no checksum while the others have one: the header was edited");
            }
        }
        for (String name : out.keySet()) {
            if (!names.contains(name)) throw bad(source, "has a checksum for tensor \"" + clip(name) + "\", which the file does not hold");
        }
        return out;
    }

    private static String hex(int crc) {
        return String.format("%08x", crc);
    }

    private record Entry(String name, DType dtype, int[] shape, long elements, long begin, long end) {}

    private record Header(List<Entry> entries, Map<String, String> metadata) {}

    /**
     * The element types jgrad can read, with their sizes in bytes. Integers become floats (exactly up to
     * 2^24): PyTorch stores counters such as BatchNorm's {@code num_batches_tracked} as I64.
     */
    private enum DType {
        F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4);
        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    private static String utf8(ByteBuffer bytes, String source) throws DataFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw bad(source, "has a header that is not valid UTF-8");
        }
    }

    private static Header parseHeader(String json, String source) throws DataFormatException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(source, "has a header that is not a JSON object");
            boolean sawMetadata = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw bad(source, "header entry \"" + clip(name) + "\" is not a JSON object");
                }
                if (name.equals(METADATA_KEY)) {
                    if (sawMetadata) throw bad(source, "has two __metadata__ entries");
                    sawMetadata = true;
                    parseMetadata(p, metadata, source);
                } else {
                    if (name.isEmpty()) throw bad(source, "has a tensor with an empty name");
                    entries.add(parseEntry(p, name, source));
                }
            }
            if (p.nextToken() != null) throw bad(source, "has data after the header's JSON object");
        } catch (DataFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw bad(source, "has a header that is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("").trim());
        } catch (IOException e) {
            throw bad(source, "has an unreadable header: " + e.getMessage());
        }
        return new Header(entries, metadata);
    }

    private static void parseMetadata(JsonParser p, Map<String, String> out, String source) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad(source, "__metadata__ value of \"" + clip(key) + "\" is not a string");
            }
            out.put(key, p.getText());
        }
    }

    private static Entry parseEntry(JsonParser p, String name, String source) throws IOException {
        DType dtype = null;
        long[] shape = null;
        long[] offsets = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING) throw bad(source, "tensor \"" + clip(name) + "\": dtype is not a string");
                    String d = p.getText();
                    try {
                        dtype = DType.valueOf(d);
                    } catch (IllegalArgumentException e) {
                        throw bad(source, "tensor \"" + clip(name) + "\" has dtype " + clip(d)
                                + ", which jgrad does not read (it reads F32, F16, BF16, F64, I64, I32)");
                    }
                }
                case "shape" -> shape = readLongs(p, value, name, "shape", source);
                case "data_offsets" -> offsets = readLongs(p, value, name, "data_offsets", source);
                default -> throw bad(source, "tensor \"" + clip(name) + "\" has an unknown field \"" + clip(field) + "\"");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw bad(source, "tensor \"" + clip(name) + "\" lacks " + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        if (offsets.length != 2) throw bad(source, "tensor \"" + clip(name) + "\": data_offsets must be [begin, end]");
        int[] dims = new int[shape.length];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) throw bad(source, "tensor \"" + clip(name) + "\" has dimension " + shape[i] + ", too large");
            dims[i] = (int) shape[i];
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw bad(source, "tensor \"" + clip(name) + "\" has a shape whose size overflows");
            }
        }
        return new Entry(name, dtype, dims, elements, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers that fit a long, bounded by the header it came from. */
    private static long[] readLongs(JsonParser p, JsonToken start, String name, String field, String source) throws IOException {
        if (start != JsonToken.START_ARRAY) throw bad(source, "tensor \"" + clip(name) + "\": " + field + " is not an array");
        long[] out = new long[4];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw bad(source, "tensor \"" + clip(name) + "\": " + field + " holds " + clip(p.getText())
                        + ", not a non-negative integer");
            }
            if (n == out.length) out = Arrays.copyOf(out, n * 2);
            out[n++] = p.getLongValue();
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Checks that the tensors tile the data section exactly, in some order, each range as long as its
     * shape and dtype say; returns them in header order.
     */
    private static List<Entry> checkLayout(List<Entry> entries, long dataLength, String source) throws DataFormatException {
        Set<String> names = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name)) throw bad(source, "has two tensors named \"" + clip(e.name) + "\"");
            if (e.begin > e.end) throw bad(source, "tensor \"" + clip(e.name) + "\" has data_offsets [" + e.begin + ", " + e.end + "], end before begin");
            if (e.end > dataLength) {
                throw bad(source, "tensor \"" + clip(e.name) + "\" has data_offsets [" + e.begin + ", " + e.end
                        + "] beyond the " + dataLength + " data bytes in the file");
            }
            // elements <= (end - begin) / bytes keeps the product below the file size, so no overflow here
            if (e.elements > (e.end - e.begin) / e.dtype.bytes || e.elements * e.dtype.bytes != e.end - e.begin) {
                throw bad(source, "tensor \"" + clip(e.name) + "\" of " + e.dtype + " shape " + Arrays.toString(e.shape) + " needs "
                        + describeBytes(e) + " but data_offsets span " + (e.end - e.begin));
            }
            if (e.elements > Integer.MAX_VALUE - 8) {
                throw bad(source, "tensor \"" + clip(e.name) + "\" has " + e.elements + " elements, more than a Java array holds");
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin < at) throw bad(source, "tensor \"" + clip(e.name) + "\" overlaps the tensor before it (data_offsets start at " + e.begin + ", previous ends at " + at + ")");
            if (e.begin > at) throw bad(source, "has " + (e.begin - at) + " unused bytes before tensor \"" + clip(e.name) + "\"");
            at = e.end;
        }
        if (at != dataLength) throw bad(source, "has " + (dataLength - at) + " bytes after the last tensor's data");
        return entries;
    }

    private static String describeBytes(Entry e) {
        long bytes;
        try {
            bytes = Math.multiplyExact(e.elements, (long) e.dtype.bytes);
        } catch (ArithmeticException x) {
            return "more than 2^63 bytes";
        }
        return bytes + " bytes";
    }

    private static float[] readValues(ReadableByteChannel in, Entry e, ByteBuffer chunk, CRC32C crc, String source) throws IOException {
        float[] out = new float[(int) e.elements];
        int done = 0;
        int perChunk = chunk.capacity() / e.dtype.bytes;
        while (done < out.length) {
            int n = Math.min(perChunk, out.length - done);
            chunk.clear().limit(n * e.dtype.bytes);
            readFully(in, chunk, source);
            chunk.flip();
            crc.update(chunk.duplicate());
            switch (e.dtype) {
                case F32 -> chunk.asFloatBuffer().get(out, done, n);
                case F64 -> {
                    for (int i = 0; i < n; i++) out[done + i] = (float) chunk.getDouble();
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) out[done + i] = Float.float16ToFloat(chunk.getShort());
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) out[done + i] = Float.intBitsToFloat((chunk.getShort() & 0xffff) << 16);
                }
                case I64 -> {
                    for (int i = 0; i < n; i++) out[done + i] = (float) chunk.getLong();
                }
                case I32 -> {
                    for (int i = 0; i < n; i++) out[done + i] = (float) chunk.getInt();
                }
            }
            done += n;
        }
        return out;
    }

    private static void readFully(ReadableByteChannel in, ByteBuffer dst, String source) throws IOException {
        while (dst.hasRemaining()) {
            if (in.read(dst) < 0) throw bad(source, "ends early (the file was truncated while being read?)");
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * Writes F32 tensors and metadata to a file atomically (see {@link AtomicFiles}).
     *
     * @param file     the file to replace (or create)
     * @param tensors  the tensors by name, written in this order
     * @param metadata string entries for {@code __metadata__}; empty for none
     * @throws IOException when the file cannot be written; it is then unchanged
     */
    public static void write(Path file, Map<String, HostArray> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, ch -> writeTo(ch, header, tensors));
    }

    /**
     * Encodes tensors and metadata as a safetensors file in memory.
     *
     * @param tensors  the tensors by name, written in this order
     * @param metadata string entries for {@code __metadata__}; empty for none
     * @return the bytes {@link #write} would put in a file
     */
    public static byte[] encode(Map<String, HostArray> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(Channels.newChannel(out), header, tensors);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * The JSON header, padded with spaces to a multiple of 8 bytes as the reference writer does; the metadata
     * gets each tensor's checksum (any checksum keys in {@code metadata} are replaced).
     */
    private static byte[] header(Map<String, HostArray> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.keySet().removeIf(k -> k.startsWith(CHECKSUM_PREFIX));
        for (Map.Entry<String, HostArray> t : tensors.entrySet()) meta.put(CHECKSUM_PREFIX + t.getKey(), hex(crc32c(t.getValue().values())));
        try (JsonGenerator g = JSON.createGenerator(json, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (!meta.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> m : meta.entrySet()) g.writeStringField(m.getKey(), m.getValue());
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, HostArray> t : tensors.entrySet()) {
                String name = t.getKey();
                if (name.isEmpty() || name.equals(METADATA_KEY)) throw new IllegalArgumentException("invalid tensor name \"" + name + "\"");
                long bytes = 4L * t.getValue().values().length;
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", "F32");
                g.writeArrayFieldStart("shape");
                for (int d : t.getValue().shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        while (json.size() % 8 != 0) json.write(' ');
        return json.toByteArray();
    }

    /** The CRC32C of {@code values} as the file stores them (float32, little-endian). */
    static int crc32c(float[] values) {
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(CHUNK_BYTES, Math.max(4, values.length * 4))).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = chunk.capacity() / 4;
        for (int done = 0; done < values.length; done += perChunk) {
            int n = Math.min(perChunk, values.length - done);
            chunk.clear();
            chunk.asFloatBuffer().put(values, done, n);
            chunk.limit(n * 4);
            crc.update(chunk);
        }
        return (int) crc.getValue();
    }

    private static void writeTo(WritableByteChannel out, byte[] header, Map<String, HostArray> tensors) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
        writeFully(out, len);
        writeFully(out, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (HostArray a : tensors.values()) {
            float[] v = a.values();
            for (int done = 0; done < v.length; ) {
                int n = Math.min(CHUNK_BYTES / 4, v.length - done);
                chunk.clear();
                chunk.asFloatBuffer().put(v, done, n);
                chunk.limit(n * 4);
                writeFully(out, chunk);
                done += n;
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (out.write(src) == 0 && src.hasRemaining()) Thread.onSpinWait();
        }
    }

    // ---- messages ---------------------------------------------------------------------------------

    private static DataFormatException bad(String source, String problem) {
        return new DataFormatException(source + ": " + problem.replaceAll("\\p{Cntrl}", "?"));
    }

    /** A name from a hostile file, kept to one short line. */
    private static String clip(String s) {
        if (s == null) return "null";
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
