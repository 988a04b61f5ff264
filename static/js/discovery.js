/*
 * Discovery: progressive enhancement only; every form works without it.
 * - Search suggestions: a search input with [data-suggest] (the URL of the JSON endpoint) and a
 *   <datalist> (its `list` attribute) gets titles of analyses and names of experts as the reader
 *   types. Choosing a suggestion that is exactly a title opens that page.
 * (The analyses index's filters: listing.js.)
 */
(function () {
    "use strict";

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

    function setUpSuggestions(input) {
        var list = input.list;
        var endpoint = input.getAttribute("data-suggest");
        if (!list || !endpoint || !window.fetch) {
            return;
        }
        var urls = {};
        var lastQuery = "";
        var update = debounce(function () {
            var query = input.value.trim();
            if (query.length < 2 || query === lastQuery) {
                return;
            }
            lastQuery = query;
            window.fetch(endpoint + "?q=" + encodeURIComponent(query), {
                headers: { Accept: "application/json" },
                credentials: "same-origin"
            }).then(function (response) {
                return response.ok ? response.json() : { results: [] };
            }).then(function (data) {
                list.textContent = "";
                urls = {};
                (data.results || []).forEach(function (result) {
                    var option = document.createElement("option");
                    option.value = result.title;
                    list.appendChild(option);
                    urls[result.title] = result.url;
                });
            }).catch(function () {
                /* Suggestions are a convenience: the search itself still works. */
            });
        }, 200);
        input.addEventListener("input", function () {
            if (urls[input.value]) {
                window.location.assign(urls[input.value]);
                return;
            }
            update();
        });
    }

    document.querySelectorAll("input[data-suggest]").forEach(setUpSuggestions);
})();
