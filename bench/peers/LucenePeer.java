/*
 * LucenePeer.java — Lucene 8 as Elasticsearch's icu_analyzer sets it up: an
 * nfkc_cf normalizer (ICUNormalizer2CharFilter), ICUTokenizer and
 * ICUFoldingFilter; or Lucene's StandardAnalyzer (--standard). Title and
 * body are indexed as text fields, the id stored; BM25 with Lucene's
 * defaults; queries go through the classic query parser over both fields.
 * A benchmark peer, not nidx; bench/peers/lucene_setup.sh builds it.
 *   LucenePeer check
 *   LucenePeer [--standard] index DIR FILE.jsonl[.gz]...
 *   LucenePeer compact DIR                       (forceMerge to one segment)
 *   LucenePeer [--standard] search DIR QUERIES.tsv [DEPTH [plain]]
 * index prints MB/s and articles/s; search writes "qid id" lines, best
 * first, to standard output and the latency per query ("# ms N") to
 * standard error, as the other peers do. With "plain" the query text is
 * words, as Elasticsearch's match query takes it (no operators: test
 * collections write whole queries in capitals, AND and NOT among them).
 */
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.icu.ICUFoldingFilter;
import org.apache.lucene.analysis.icu.ICUNormalizer2CharFilter;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

public class LucenePeer {
    /* What Elasticsearch's icu_analyzer is: normalize, segment, fold. */
    static Analyzer icuAnalyzer() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = new ICUTokenizer();
                return new TokenStreamComponents(source, new ICUFoldingFilter(source));
            }

            @Override
            protected Reader initReader(String field, Reader reader) {
                return new ICUNormalizer2CharFilter(reader);
            }
        };
    }

    static InputStream open(String path) throws Exception {
        InputStream in = new FileInputStream(path);
        return path.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    static long bytes = 0, articles = 0;

    /* One JSON Lines record: id, title, body (or text). */
    static void addRecord(IndexWriter w, JsonParser p) throws Exception {
        String id = "", title = "", body = null, text = "";
        if (p.nextToken() != JsonToken.START_OBJECT)
            return;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            String v = t == JsonToken.VALUE_NULL ? "" : p.getValueAsString("");
            switch (name) {
            case "id": id = v; break;
            case "title": title = v; break;
            case "body": body = v; break;
            case "text": text = v; break;
            default: break;
            }
        }
        if (body == null || body.isEmpty())
            body = text;
        Document d = new Document();
        d.add(new StringField("id", id, Field.Store.YES));
        d.add(new TextField("title", title, Field.Store.NO));
        d.add(new TextField("body", body, Field.Store.NO));
        w.updateDocument(new Term("id", id), d);
        bytes += title.getBytes(StandardCharsets.UTF_8).length
                 + body.getBytes(StandardCharsets.UTF_8).length;
        articles++;
    }

    static void index(Analyzer a, String dir, String[] files, int from) throws Exception {
        IndexWriterConfig c = new IndexWriterConfig(a);
        c.setRAMBufferSizeMB(256);
        c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        long t0 = System.nanoTime();
        JsonFactory json = new JsonFactory();
        try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(dir)), c)) {
            for (int i = from; i < files.length; i++) {
                try (BufferedReader r = new BufferedReader(
                         new InputStreamReader(open(files[i]), StandardCharsets.UTF_8), 1 << 16)) {
                    for (String line; (line = r.readLine()) != null;) {
                        try (JsonParser p = json.createParser(line)) {
                            addRecord(w, p);
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            /* a malformed record is left out, as the other peers do */
                        }
                    }
                }
            }
            w.commit();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d articles, %.1f MB in %.1f s: %.2f MB/s, %.0f articles/s%n",
                          articles, bytes / 1e6, s, bytes / 1e6 / s, articles / s);
    }

    static void compact(String dir) throws Exception {
        IndexWriterConfig c = new IndexWriterConfig(new StandardAnalyzer());
        try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(dir)), c)) {
            w.forceMerge(1);
        }
    }

    static boolean plain = false;
    static QueryBuilder words;

    /* The text's words in title or body, any of them (a match query). */
    static Query plainQuery(String text) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String field : new String[] {"title", "body"}) {
            Query q = words.createBooleanQuery(field, text);
            if (q != null)
                b.add(q, BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    /* The hits' ids of one query, best first. */
    static String[] run(IndexSearcher searcher, MultiFieldQueryParser qp, String text,
                        int depth) throws Exception {
        Query q;
        if (plain) {
            q = plainQuery(text);
        } else {
            try {
                q = qp.parse(text);
            } catch (ParseException | IllegalArgumentException e) {
                q = qp.parse(QueryParser.escape(text));
            }
        }
        TopDocs top = searcher.search(q, depth);
        String[] ids = new String[top.scoreDocs.length];
        for (int i = 0; i < ids.length; i++)
            ids[i] = searcher.doc(top.scoreDocs[i].doc).get("id");
        return ids;
    }

    static void search(Analyzer a, String dir, String queries, int depth) throws Exception {
        java.util.List<String[]> lines = new java.util.ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                 new InputStreamReader(new FileInputStream(queries), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                int tab = line.indexOf('\t');
                if (tab >= 0)
                    lines.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
            }
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            MultiFieldQueryParser qp = new MultiFieldQueryParser(new String[] {"title", "body"}, a);
            words = new QueryBuilder(a);
            /* A first pass, not timed, compiles the code paths (the JIT),
               as a server that has run for a while has them. */
            for (String[] l : lines)
                run(searcher, qp, l[1], depth);
            StringBuilder out = new StringBuilder();
            for (String[] l : lines) {
                long t0 = System.nanoTime();
                String[] ids = run(searcher, qp, l[1], depth);
                double ms = (System.nanoTime() - t0) / 1e6;
                for (String id : ids)
                    out.append(l[0]).append(' ').append(id).append('\n');
                System.out.print(out);
                out.setLength(0);
                System.err.printf("# ms %.4f%n", ms);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int i = 0;
        boolean standard = args.length > 0 && args[0].equals("--standard");
        if (standard)
            i++;
        String cmd = args.length > i ? args[i] : "";
        Analyzer a = standard ? new StandardAnalyzer() : icuAnalyzer();
        if (cmd.equals("check")) {
            /* Fails when the ICU data files do not fit this ICU4J. */
            try (TokenStream ts = a.tokenStream("body", "Şabac İzmir'deki 東京 กรุงเทพมหานคร")) {
                CharTermAttribute t = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken())
                    System.out.print(t + " ");
                ts.end();
            }
            System.out.println();
        } else if (cmd.equals("index") && args.length > i + 2) {
            index(a, args[i + 1], args, i + 2);
        } else if (cmd.equals("compact") && args.length > i + 1) {
            compact(args[i + 1]);
        } else if (cmd.equals("search") && args.length > i + 2) {
            plain = args.length > i + 4 && args[i + 4].equals("plain");
            search(a, args[i + 1], args[i + 2],
                   args.length > i + 3 ? Integer.parseInt(args[i + 3]) : 1000);
        } else {
            System.err.println("usage: LucenePeer check | [--standard] index DIR FILE... |"
                               + " compact DIR | [--standard] search DIR QUERIES [DEPTH [plain]]");
            System.exit(2);
        }
    }
}
