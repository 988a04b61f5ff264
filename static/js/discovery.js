/*
 * Discovery: progressive enhancement only; every form works without it.
 * - Search suggestions: a search input with [data-suggest] (the URL of the JSON endpoint,
 *   publications.views.suggest_view; [data-suggest-label]: the list's name) becomes a combobox with a listbox popup, after the WAI-ARIA
 *   1.2 "list autocomplete" pattern: as the reader types, public analyses, centres and experts
 *   whose title starts so are listed; Down and Up arrows move through them (the input keeps the
 *   focus: aria-activedescendant), Enter opens the one chosen, Escape closes the list, Tab or a
 *   click elsewhere leaves it. Enter with none chosen submits the search as typed. How many
 *   suggestions there are is said in a polite live region.
 * (The analyses index's filters: listing.js.)
 */
(function () {
    "use strict";

    var MIN_LENGTH = 2;
    var DELAY = 200;

    function debounce(fn, delay) {
        var timer = null;
        return function () {
            var args = arguments;
            window.clearTimeout(timer);
            timer = window.setTimeout(function () {
                fn.apply(null, args);
            }, delay);
        };
    }

    function setUpCombobox(input) {
        var endpoint = input.getAttribute("data-suggest");
        if (!endpoint || !window.fetch || !input.id) {
            return;
        }
        var listId = input.id + "-suggestions";
        var label = input.getAttribute("data-suggest-label");

        var wrapper = document.createElement("div");
        wrapper.className = "combobox";
        input.parentNode.insertBefore(wrapper, input);
        wrapper.appendChild(input);

        var list = document.createElement("ul");
        list.id = listId;
        list.className = "combobox__list";
        list.setAttribute("role", "listbox");
        if (label) {
            list.setAttribute("aria-label", label);
        }
        list.hidden = true;
        wrapper.appendChild(list);

        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        wrapper.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);

        var results = [];
        var active = -1;
        var asked = 0;
        var lastQuery = "";

        function options() {
            return list.querySelectorAll("[role='option']");
        }

        function open() {
            if (!results.length) {
                return;
            }
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
        }

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            setActive(-1);
        }

        function setActive(index) {
            var all = options();
            active = index;
            all.forEach(function (option, i) {
                option.setAttribute("aria-selected", i === index ? "true" : "false");
                option.classList.toggle("is-active", i === index);
            });
            if (index >= 0 && all[index]) {
                input.setAttribute("aria-activedescendant", all[index].id);
                if (all[index].scrollIntoView) {
                    all[index].scrollIntoView({ block: "nearest" });
                }
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function go(index) {
            var result = results[index];
            if (result && result.url) {
                close();
                window.location.assign(result.url);
            }
        }

        function show(data) {
            results = (data.results || []).filter(function (result) {
                return result && result.title && result.url;
            });
            list.textContent = "";
            results.forEach(function (result, i) {
                var option = document.createElement("li");
                option.id = listId + "-" + i;
                option.className = "combobox__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                var title = document.createElement("span");
                title.className = "combobox__title";
                title.textContent = result.title;
                option.appendChild(title);
                if (result.kind_label) {
                    var kind = document.createElement("span");
                    kind.className = "combobox__kind";
                    kind.textContent = " " + result.kind_label;
                    option.appendChild(kind);
                }
                option.addEventListener("mousedown", function (event) {
                    event.preventDefault(); /* keep the focus in the input */
                });
                option.addEventListener("click", function () {
                    go(i);
                });
                list.appendChild(option);
            });
            active = -1;
            input.removeAttribute("aria-activedescendant");
            status.textContent = data.status || "";
            if (results.length && document.activeElement === input) {
                open();
            } else {
                close();
            }
        }

        var update = debounce(function () {
            var query = input.value.trim();
            if (query === lastQuery) {
                return;
            }
            lastQuery = query;
            if (query.length < MIN_LENGTH) {
                results = [];
                list.textContent = "";
                status.textContent = "";
                close();
                return;
            }
            asked += 1;
            var ticket = asked;
            window.fetch(endpoint + "?q=" + encodeURIComponent(query), {
                headers: { Accept: "application/json" },
                credentials: "same-origin"
            }).then(function (response) {
                return response.ok ? response.json() : { results: [] };
            }).then(function (data) {
                if (ticket === asked) {
                    show(data);
                }
            }).catch(function () {
                /* Suggestions are a convenience: the search itself still works. */
            });
        }, DELAY);

        input.addEventListener("input", update);

        input.addEventListener("keydown", function (event) {
            var count = results.length;
            var expanded = !list.hidden;
            switch (event.key) {
            case "ArrowDown":
            case "Down":
                if (!count) {
                    return;
                }
                event.preventDefault();
                if (!expanded) {
                    open();
                    if (event.altKey) {
                        return;
                    }
                }
                setActive(active + 1 < count ? active + 1 : 0);
                break;
            case "ArrowUp":
            case "Up":
                if (!count) {
                    return;
                }
                event.preventDefault();
                if (!expanded) {
                    open();
                }
                setActive(active > 0 ? active - 1 : count - 1);
                break;
            case "Enter":
                if (expanded && active >= 0) {
                    event.preventDefault();
                    go(active);
                }
                break;
            case "Escape":
            case "Esc":
                if (expanded) {
                    /* Close the list only: a search input would also clear its text. */
                    event.preventDefault();
                    close();
                }
                break;
            case "Tab":
                close();
                break;
            default:
                break;
            }
        });

        input.addEventListener("blur", function () {
            close();
        });
    }

    document.querySelectorAll("input[data-suggest]").forEach(setUpCombobox);
})();
