package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;

import java.net.http.HttpHeaders;

/**
 * The one-line errors of one hub request, each saying what to do. The hub names its errors in an
 * X-Error-Code header (RepoNotFound, GatedRepo, RevisionNotFound, EntryNotFound), which
 * huggingface_hub's hf_raise_for_status reads too; plain status codes are the fallback.
 *
 * @param what     how the message names the thing asked for (hf:ORG/NAME or hf:ORG/NAME/FILE)
 * @param ref      the repository and revision
 * @param settings endpoint and token, for advice
 * @param file     whether a file (not the repository's file list) was asked for
 */
record Failure(String what, HubRef ref, HubSettings settings, boolean file) {

    LlmplanException status(int code, HttpHeaders headers) {
        String error = headers.firstValue("X-Error-Code").orElse("");
        String http = " (HTTP " + code + ")";
        String page = settings.endpoint() + "/" + ref.repo();
        if (error.equals("RevisionNotFound")) {
            return LlmplanException.badData(what + ": " + ref.repo() + " has no revision '" + ref.effectiveRevision() + "'"
                    + http + "; give a branch, tag or commit that exists");
        }
        if (error.equals("RepoNotFound") || code == 404 && !file) {
            return LlmplanException.badData(what + ": no such model repository at " + settings.endpoint() + http
                    + (settings.token() == null ? "; check the name, or set HF_TOKEN if it is private" : "; check the name"));
        }
        if (error.equals("GatedRepo") || code == 401 || code == 403) {
            String advice = settings.token() == null
                    ? "accept its licence at " + page + " and set HF_TOKEN to an access token of that account"
                    : "the token from " + settings.tokenSource() + " has no access: accept the licence at " + page
                    + " with its account, or use another token";
            return LlmplanException.badData(what + ": access denied" + http + ", the repository is gated or private; " + advice);
        }
        if (error.equals("EntryNotFound") || code == 404) {
            return LlmplanException.badData(what + ": no such file in " + ref.repoLabel() + http);
        }
        if (code == 429) {
            return LlmplanException.badData(what + ": the hub is limiting requests" + http + "; wait a minute and try again"
                    + (settings.token() == null ? ", or set HF_TOKEN" : ""));
        }
        if (code >= 500) {
            return LlmplanException.badData(what + ": the hub failed" + http + "; try again later");
        }
        return LlmplanException.badData(what + ": unexpected answer" + http + " from " + settings.endpoint());
    }

    LlmplanException truncated(int received, int expected) {
        return LlmplanException.badData(what + ": the server sent " + received + " of " + expected
                + " bytes (truncated response); try again");
    }

    LlmplanException cutShort(int received) {
        return LlmplanException.badData(what + ": the connection closed after " + received
                + " bytes (truncated response); try again");
    }
}
