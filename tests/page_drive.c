/*
 * page_drive.c — drives a page in headless Chromium, as a reader would,
 * through the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
 * messages ended by NUL, commands on the browser's fd 3, answers on its
 * fd 4), so that tests/test_page.sh can prove what the page's script does
 * (links that move without a reload, the back button, the form).
 *
 *   page_drive BROWSER WIDTH,HEIGHT URL STEP...
 *
 * Each STEP is "do:JS" (evaluated once in the page) or "wait:JS" (evaluated
 * every 50 ms until true, for 15 s at most). Exit 0 when every step
 * passed; 1 naming the first that did not, with the page's address and
 * status line then; 2 when the browser cannot be driven.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STEP_SECONDS 15.0
#define MESSAGE_MAX (16 << 20)

static int to_browser = -1, from_browser = -1;
static pid_t browser_pid;
static char *inbox; /* bytes read and not yet taken */
static size_t inbox_len;
static int next_id = 1;
static char session[128];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One message from the browser (NUL-ended), by `deadline`; NULL else. */
static json_object *receive(double deadline)
{
    for (;;) {
        char *end = inbox ? memchr(inbox, '\0', inbox_len) : NULL;
        if (end) {
            json_object *m = json_tokener_parse(inbox);
            size_t used = (size_t)(end - inbox) + 1;
            memmove(inbox, end + 1, inbox_len - used);
            inbox_len -= used;
            return m ? m : json_object_new_object();
        }
        double left = deadline - now();
        struct pollfd p = {from_browser, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            return NULL;
        char buf[65536];
        ssize_t n = read(from_browser, buf, sizeof buf);
        if (n <= 0 || inbox_len + (size_t)n > MESSAGE_MAX)
            return NULL;
        char *grown = realloc(inbox, inbox_len + (size_t)n + 1);
        if (!grown)
            return NULL;
        inbox = grown;
        memcpy(inbox + inbox_len, buf, (size_t)n);
        inbox_len += (size_t)n;
    }
}

/* Sends a command (in the page's session when `in_page`) and returns its
   answer's "result" (the caller puts it), or NULL. */
static json_object *command(const char *method, json_object *params,
                            bool in_page)
{
    json_object *m = json_object_new_object();
    int id = next_id++;
    json_object_object_add(m, "id", json_object_new_int(id));
    if (in_page)
        json_object_object_add(m, "sessionId", json_object_new_string(session));
    json_object_object_add(m, "method", json_object_new_string(method));
    json_object_object_add(m, "params",
                           params ? params : json_object_new_object());
    const char *text = json_object_to_json_string(m);
    size_t len = strlen(text) + 1; /* the NUL ends the message */
    bool sent = write(to_browser, text, len) == (ssize_t)len;
    json_object_put(m);
    double deadline = now() + STEP_SECONDS;
    while (sent) {
        json_object *answer = receive(deadline), *v;
        if (!answer)
            return NULL;
        if (json_object_object_get_ex(answer, "id", &v) &&
            json_object_get_int(v) == id) {
            json_object *result = NULL;
            if (json_object_object_get_ex(answer, "result", &v))
                result = json_object_get(v);
            json_object_put(answer);
            return result;
        }
        json_object_put(answer); /* an event, or another answer */
    }
    return NULL;
}

/* The value of JS in the page, as a string ("true", "false", text); the
   caller frees it. */
static char *evaluate(const char *js)
{
    json_object *p = json_object_new_object(), *v, *r;
    json_object_object_add(p, "expression", json_object_new_string(js));
    json_object_object_add(p, "returnByValue", json_object_new_boolean(1));
    json_object *result = command("Runtime.evaluate", p, true);
    char *out = NULL;
    if (result && json_object_object_get_ex(result, "result", &r) &&
        json_object_object_get_ex(r, "value", &v))
        out = strdup(json_object_is_type(v, json_type_string)
                         ? json_object_get_string(v)
                         : json_object_to_json_string(v));
    json_object_put(result);
    return out ? out : strdup("(no value)");
}

static bool start(const char *browser, const char *size, const char *profile)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return false;
    char window[64];
    snprintf(window, sizeof window, "--window-size=%s", size);
    char data[4200];
    snprintf(data, sizeof data, "--user-data-dir=%s", profile);
    browser_pid = fork();
    if (browser_pid == 0) {
        /* The browser reads commands on fd 3 and writes on fd 4. */
        int r = dup(in[0]), w = dup(out[1]);
        if (dup2(r, 3) < 0 || dup2(w, 4) < 0)
            _exit(127);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        for (int fd = 5; fd < 256; fd++)
            close(fd);
        execlp(browser, browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
               "--remote-debugging-pipe", window, data, "about:blank",
               (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_browser = in[1];
    from_browser = out[0];
    return browser_pid > 0;
}

static bool open_page(const char *url, const char *size)
{
    json_object *p = json_object_new_object(), *v;
    json_object_object_add(p, "url", json_object_new_string("about:blank"));
    json_object *made = command("Target.createTarget", p, false);
    if (!made || !json_object_object_get_ex(made, "targetId", &v)) {
        json_object_put(made);
        return false;
    }
    p = json_object_new_object();
    json_object_object_add(p, "targetId", json_object_get(v));
    json_object_object_add(p, "flatten", json_object_new_boolean(1));
    json_object_put(made);
    json_object *attached = command("Target.attachToTarget", p, false);
    bool ok = attached && json_object_object_get_ex(attached, "sessionId", &v);
    if (ok)
        snprintf(session, sizeof session, "%s", json_object_get_string(v));
    json_object_put(attached);
    /* The viewport as asked (a new target would take the browser's
       default), then the page. */
    int width = 0, height = 0;
    if (!ok || sscanf(size, "%d,%d", &width, &height) != 2)
        return false;
    p = json_object_new_object();
    json_object_object_add(p, "width", json_object_new_int(width));
    json_object_object_add(p, "height", json_object_new_int(height));
    json_object_object_add(p, "deviceScaleFactor", json_object_new_int(1));
    json_object_object_add(p, "mobile", json_object_new_boolean(0));
    json_object *set = command("Emulation.setDeviceMetricsOverride", p, true);
    p = json_object_new_object();
    json_object_object_add(p, "url", json_object_new_string(url));
    json_object *gone = set ? command("Page.navigate", p, true) : NULL;
    ok = set && gone;
    if (!set) /* not sent: still ours */
        json_object_put(p);
    json_object_put(set);
    json_object_put(gone);
    return ok;
}

static void stop(void)
{
    json_object_put(command("Browser.close", NULL, false));
    for (int i = 0; i < 100 && waitpid(browser_pid, NULL, WNOHANG) == 0; i++)
        usleep(50 * 1000);
    if (waitpid(browser_pid, NULL, WNOHANG) == 0) {
        kill(browser_pid, SIGKILL);
        waitpid(browser_pid, NULL, 0);
    }
}

static bool step(const char *s)
{
    bool wait = !strncmp(s, "wait:", 5);
    if (!wait && strncmp(s, "do:", 3) != 0) {
        fprintf(stderr, "page_drive: a step is do:JS or wait:JS, not %s\n", s);
        return false;
    }
    const char *js = s + (wait ? 5 : 3);
    double deadline = now() + STEP_SECONDS;
    for (;;) {
        char *v = evaluate(js);
        bool done = !wait || !strcmp(v, "true");
        if (done || now() > deadline) {
            if (!done) {
                char *where = evaluate("location.href + ' | ' + "
                                       "(document.getElementById('status') "
                                       "|| {}).textContent");
                fprintf(stderr,
                        "page_drive: not true after %.0f s: %s (%s; "
                        "page %s)\n",
                        STEP_SECONDS, js, v, where);
                free(where);
            }
            free(v);
            return done;
        }
        free(v);
        usleep(50 * 1000);
    }
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: page_drive BROWSER WIDTH,HEIGHT URL STEP...\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    char profile[] = "/tmp/page-drive-XXXXXX";
    if (!mkdtemp(profile) || !start(argv[1], argv[2], profile) ||
        !open_page(argv[3], argv[2])) {
        fprintf(stderr, "page_drive: cannot drive %s\n", argv[1]);
        if (browser_pid > 0)
            stop();
        return 2;
    }
    int status = 0;
    for (int i = 4; i < argc && status == 0; i++)
        if (!step(argv[i]))
            status = 1;
    stop();
    char rm[sizeof profile + 16];
    snprintf(rm, sizeof rm, "rm -rf %s", profile);
    if (system(rm) != 0)
        fprintf(stderr, "page_drive: could not remove %s\n", profile);
    free(inbox);
    return status;
}
