/*
 * The public site's only script, loaded with `defer`. Everything works without it; it only adds:
 * - "Copy link" (share links): copies the page's address instead of following the link, and says
 *   so in the polite live region next to it ([data-copy-status]).
 * - The header's "Menu" on small screens: without the script a link to the menu, which opens as
 *   its target; with it, a disclosure button (aria-expanded) that Escape closes.
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

    function enhanceMenu() {
        var toggle = document.querySelector("a[data-menu-toggle]");
        var menu = document.querySelector("[data-menu]");
        if (!toggle || !menu) {
            return;
        }
        var close = menu.querySelector("[data-menu-close]");
        if (close) {
            close.hidden = true;
        }
        toggle.setAttribute("role", "button");
        toggle.setAttribute("aria-expanded", "false");

        function setOpen(open) {
            menu.classList.toggle("is-open", open);
            toggle.setAttribute("aria-expanded", String(open));
        }

        toggle.addEventListener("click", function (event) {
            event.preventDefault();
            setOpen(toggle.getAttribute("aria-expanded") !== "true");
        });
        toggle.addEventListener("keydown", function (event) {
            if (event.key === " ") {
                event.preventDefault();
                toggle.click();
            }
        });
        document.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && menu.classList.contains("is-open")) {
                setOpen(false);
                toggle.focus();
            }
        });
    }

    function enhance() {
        enhanceCopyLinks();
        enhanceMenu();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhance);
    } else {
        enhance();
    }
})();
