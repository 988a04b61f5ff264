/*
 * The analyses index, enhanced. Without this script the filters are a form sent with "Apply
 * filters" and every chip is a link; with it:
 * - on wide screens the filters' disclosure starts open (on small screens the results come first);
 * - ticking a value, or changing a year or the sort order, updates the results in place: the
 *   count (a polite live region) says what was found, the address follows (history.replaceState),
 *   and the focus stays where it is (no change of context: WCAG 3.2.2);
 * - a chip's remove link and "Clear all" update the results the same way;
 * - long facets can be narrowed by typing (the authors: [data-facet-find] holds the label).
 * The page the script reads is the one the server gives to the same address without it.
 */
(function () {
    "use strict";

    var WIDE = "(min-width: 60rem)";
    var form = document.querySelector("form[data-listing-form]");
    var results = document.querySelector("[data-listing-results]");
    var count = document.querySelector("[data-listing-count]");
    var disclosure = document.querySelector("details[data-filters]");
    if (!form || !results || !count || !window.fetch || !window.DOMParser || !window.history) {
        return;
    }
    var pending = null;

    function formUrl() {
        var params = new URLSearchParams();
        new FormData(form).forEach(function (value, name) {
            if (value !== "") {
                params.append(name, value);
            }
        });
        var query = params.toString();
        return form.action + (query ? "?" + query : "");
    }

    function syncControls(url) {
        // The form says what the address says (after a chip was removed, for instance).
        var params = new URL(url, window.location.href).searchParams;
        Array.prototype.forEach.call(form.elements, function (control) {
            if (!control.name || control.type === "hidden" || control.type === "submit") {
                return;
            }
            if (control.type === "checkbox") {
                control.checked = params.getAll(control.name).indexOf(control.value) !== -1;
            } else if (control.name !== "sort" && document.activeElement !== control) {
                control.value = params.get(control.name) || "";
            }
        });
    }

    function updateFacets(doc) {
        form.querySelectorAll("fieldset[data-facet]").forEach(function (fieldset) {
            var name = fieldset.getAttribute("data-facet");
            var fresh = doc.querySelector('fieldset[data-facet="' + name + '"]');
            if (fieldset.contains(document.activeElement)) {
                // The reader is here: only the counts change, nothing moves under the focus.
                fieldset.querySelectorAll("input[type=checkbox]").forEach(function (box) {
                    var other = fresh && fresh.querySelector("#" + CSS.escape(box.id));
                    var item = box.closest(".facet__item");
                    var label = item && item.querySelector(".facet__count");
                    var newLabel = other && other.closest(".facet__item").querySelector(".facet__count");
                    if (label) {
                        label.textContent = newLabel ? newLabel.textContent : "(0)";
                    }
                    if (item) {
                        item.classList.toggle("is-empty", !newLabel || other.closest(".is-empty") !== null);
                    }
                });
            } else if (fresh) {
                var open = fieldset.querySelector("details[open]") !== null;
                fieldset.replaceWith(fresh);
                if (open && fresh.querySelector("details")) {
                    fresh.querySelector("details").open = true;
                }
                setUpFind(fresh);
            } else {
                fieldset.hidden = true;
            }
        });
    }

    function load(url, afterwards) {
        if (pending) {
            pending.abort();
        }
        pending = new AbortController();
        results.setAttribute("aria-busy", "true");
        window.fetch(url, {
            headers: { Accept: "text/html" },
            credentials: "same-origin",
            signal: pending.signal
        }).then(function (response) {
            if (!response.ok) {
                throw new Error(String(response.status));
            }
            return response.text();
        }).then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var freshResults = doc.querySelector("[data-listing-results]");
            var freshCount = doc.querySelector("[data-listing-count]");
            var freshSort = doc.querySelector(".listing__sort");
            var sort = document.querySelector(".listing__sort");
            if (!freshResults || !freshCount) {
                throw new Error("not a listing");
            }
            results.innerHTML = freshResults.innerHTML;
            count.textContent = freshCount.textContent;
            if (sort && freshSort && !sort.contains(document.activeElement)) {
                sort.replaceWith(freshSort);
                hideSortButton();
            }
            updateFacets(doc);
            syncControls(url);
            var badge = document.querySelector(".filters__badge");
            var freshBadge = doc.querySelector(".filters__badge");
            if (badge && freshBadge) {
                badge.innerHTML = freshBadge.innerHTML;
            } else if (badge) {
                badge.remove();
            } else if (freshBadge) {
                document.querySelector(".filters__toggle").appendChild(freshBadge);
            }
            window.history.replaceState(null, "", url);
            results.removeAttribute("aria-busy");
            if (afterwards) {
                afterwards();
            }
        }).catch(function (error) {
            if (error.name !== "AbortError") {
                // Something went wrong: the page the address names is always right.
                window.location.assign(url);
            }
        });
    }

    function hideSortButton() {
        document.querySelectorAll("[data-sort-submit]").forEach(function (button) {
            button.hidden = true;
        });
    }

    function setUpFind(fieldset) {
        var label = fieldset.getAttribute("data-facet-find");
        if (!label || fieldset.querySelector(".facet__find")) {
            return;
        }
        var id = "find-" + fieldset.getAttribute("data-facet");
        var wrapper = document.createElement("div");
        wrapper.className = "facet__find";
        var text = document.createElement("label");
        text.setAttribute("for", id);
        text.textContent = label;
        var input = document.createElement("input");
        input.type = "search";
        input.id = id;
        input.className = "filter-group__input";
        input.setAttribute("autocomplete", "off");
        // Not a filter of the listing: it only narrows the list of values below.
        input.setAttribute("form", "");
        wrapper.appendChild(text);
        wrapper.appendChild(input);
        fieldset.querySelector("legend").after(wrapper);
        var openBefore = null;  // "Show more" as the reader left it, restored when the box is empty
        input.addEventListener("input", function () {
            var needle = input.value.trim().toLocaleLowerCase();
            var more = fieldset.querySelector("details");
            if (more && needle && openBefore === null) {
                openBefore = more.open;
                more.open = true;
            } else if (more && !needle && openBefore !== null) {
                more.open = openBefore;
                openBefore = null;
            }
            fieldset.querySelectorAll(".facet__item").forEach(function (item) {
                var name = item.querySelector(".facet__name").textContent.toLocaleLowerCase();
                item.hidden = needle !== "" && name.indexOf(needle) === -1;
            });
        });
    }

    if (disclosure && window.matchMedia(WIDE).matches) {
        disclosure.open = true;
    }
    hideSortButton();
    form.querySelectorAll("fieldset[data-facet]").forEach(setUpFind);

    document.addEventListener("change", function (event) {
        var target = event.target;
        var owned = target.form === form && target.name;
        if (owned && target.matches("input[type=checkbox], select")) {
            load(formUrl());
        }
    });

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        load(formUrl(), function () {
            // On a small screen the filters cover the results: close them, and go to the results.
            if (disclosure && !window.matchMedia(WIDE).matches) {
                disclosure.open = false;
                disclosure.querySelector("summary").focus();
                document.getElementById("results").scrollIntoView();
            }
        });
    });

    results.addEventListener("click", function (event) {
        var link = event.target.closest("a[data-listing-link]");
        if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) {
            return;
        }
        event.preventDefault();
        // The link disappears with the chip: the focus goes to the count of what is now listed.
        load(link.href, function () {
            count.setAttribute("tabindex", "-1");
            count.focus();
        });
    });
})();
