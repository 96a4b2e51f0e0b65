/* Accessibility repairs for third-party widgets whose markup we cannot pass attributes to
   (dcc.Dropdown, dcc.DatePickerSingle, dcc.Slider, dcc.Upload in Dash 4): axe-core's WCAG 2
   A/AA rules must pass on every page (docs/ux.md "Accessibility"). Each repair only adds a
   name or drops an attribute the element's role does not allow; behaviour is unchanged. */
(function () {
    function labelText(el) {
        if (!el) { return ""; }
        return (el.textContent || "").replace(/\s+/g, " ").trim();
    }

    function nameFor(control) {
        const holder = control.closest("[data-a11y-label]");
        if (holder) { return holder.getAttribute("data-a11y-label"); }
        const id = control.id;
        if (id) {
            const label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
            if (label) { return labelText(label); }
        }
        return "";
    }

    function repair() {
        // Dropdowns: the keyboard focus target is a read-only input marked aria-hidden while
        // focusable. Expose it, named after the dropdown's label, instead of hiding it.
        document.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach(function (input) {
            const button = input.parentElement && input.parentElement.querySelector("button.dash-dropdown");
            const name = button ? nameFor(button) : "";
            input.removeAttribute("aria-hidden");
            if (!input.getAttribute("aria-label")) {
                input.setAttribute("aria-label", (name || "Choose") + ": press Enter or Down to choose");
            }
        });
        // Date pickers: ARIA state on a wrapper <div> that has no role allowing it.
        document.querySelectorAll(".dash-datepicker-input-wrapper[aria-expanded], .dash-datepicker-input-wrapper[aria-haspopup]").forEach(function (div) {
            div.removeAttribute("aria-expanded");
            div.removeAttribute("aria-haspopup");
            div.removeAttribute("aria-disabled");
        });
        document.querySelectorAll("input.dash-datepicker-input").forEach(function (input) {
            const name = nameFor(input);
            if (name && input.getAttribute("aria-label") !== name) { input.setAttribute("aria-label", name); }
        });
        // Sliders: the thumb and the number box take the name of the slider's label.
        document.querySelectorAll(".dash-slider-container").forEach(function (slider) {
            const name = nameFor(slider);
            if (!name) { return; }
            slider.querySelectorAll('[role="slider"], input').forEach(function (el) {
                if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", name); }
            });
        });
        // Scrolling boxes (a grid's card, wide tables on a phone) must be reachable by keyboard
        // to be scrolled without a mouse (WCAG 2.1.1). Never inside a role=grid: AG Grid's
        // own boxes keep their roles.
        document.querySelectorAll(".pmo-grid-scroll:not([tabindex]), .table-responsive:not([tabindex]), .review-table-wrap:not([tabindex])").forEach(function (box) {
            if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
                box.setAttribute("tabindex", "0");
            }
        });
        // File inputs (dcc.Upload): the drop zone's text is not a label of its hidden input.
        document.querySelectorAll('input[type="file"]:not([aria-label])').forEach(function (input) {
            input.setAttribute("aria-label", "Choose files to upload");
        });
    }

    // Keyboard users move through a grid cell by cell (AG Grid's own navigation): Enter on a
    // cell holding a project link follows it, as a click would (WCAG 2.1.1).
    document.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        const cell = document.activeElement && document.activeElement.closest
            ? document.activeElement.closest(".ag-cell") : null;
        const link = cell ? cell.querySelector("a.pmo-grid-link") : null;
        if (link) { event.preventDefault(); link.click(); }
    }, true);

    let queued = false;
    function schedule() {
        if (queued) { return; }
        queued = true;
        window.requestAnimationFrame(function () { queued = false; repair(); });
    }
    function start() {
        repair();
        window.addEventListener("resize", schedule);
        new MutationObserver(schedule).observe(document.body, {
            childList: true, subtree: true, attributes: true,
            attributeFilter: ["aria-hidden", "aria-expanded", "aria-haspopup"],
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
