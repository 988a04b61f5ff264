/*
 * The public site's only script, loaded with `defer`. Everything works without it; it only adds:
 * - "Copy link" (share links): copies the page's address instead of following the link, and says
 *   so in the polite live region next to it ([data-copy-status]).
 */
(function () {
    "use strict";

    function announce(link, message) {
        var list = link.closest("ul");
        var status = list && list.parentNode.querySelector("[data-copy-status]");
        if (!status) {
            return;
        }
        // Clear first so that the same message is announced again on a second click.
        status.textContent = "";
        window.setTimeout(function () {
            status.textContent = message;
        }, 50);
    }

    function copyWithSelection(text) {
        var field = document.createElement("textarea");
        field.value = text;
        field.setAttribute("readonly", "");
        field.className = "visually-hidden";
        document.body.appendChild(field);
        field.select();
        var copied = false;
        try {
            copied = document.execCommand("copy");
        } catch (error) {
            copied = false;
        }
        document.body.removeChild(field);
        return copied;
    }

    function copy(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text).then(
                function () {
                    return true;
                },
                function () {
                    return copyWithSelection(text);
                }
            );
        }
        return Promise.resolve(copyWithSelection(text));
    }

    function enhanceCopyLinks() {
        var links = document.querySelectorAll("a[data-copy-link]");
        Array.prototype.forEach.call(links, function (link) {
            link.setAttribute("role", "button");
            link.addEventListener("click", function (event) {
                event.preventDefault();
                copy(link.href).then(function (copied) {
                    announce(
                        link,
                        copied
                            ? link.getAttribute("data-copied-message")
                            : link.getAttribute("data-copy-failed-message")
                    );
                });
            });
            // A role="button" link must also respond to the space bar, like a button.
            link.addEventListener("keydown", function (event) {
                if (event.key === " ") {
                    event.preventDefault();
                    link.click();
                }
            });
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhanceCopyLinks);
    } else {
        enhanceCopyLinks();
    }
})();
