// The arrival plan: tick items off without reloading the page. Without this
// file each button posts its form and the page reloads at the same item.
(function () {
  "use strict";

  var announcer = document.getElementById("plan-announcer");
  var progress = document.getElementById("plan-progress");

  function groupCounts() {
    // The "(n of m done)" next to each group heading follows the items below it.
    var groups = document.querySelectorAll(".plan-group");
    Array.prototype.forEach.call(groups, function (group) {
      var count = group.querySelector(".plan-group__count");
      if (!count || !count.dataset.template) { return; }
      var items = group.querySelectorAll(".plan-item");
      var done = group.querySelectorAll(".plan-item--done");
      count.textContent = count.dataset.template
        .replace("__done__", done.length).replace("__total__", items.length);
    });
  }

  function submit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-plan-toggle]")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": token ? token.value : "",
        "X-Requested-With": "fetch"
      },
      body: new FormData(form)
    }).then(function (response) {
      if (!response.ok && response.status !== 403) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (data.error) {
        if (announcer) { announcer.textContent = data.message; }
        if (button) { button.disabled = false; }
        return;
      }
      var item = document.getElementById("item-" + data.item);
      if (item && data.item_html) {
        var holder = document.createElement("div");
        holder.innerHTML = data.item_html.trim();
        var fresh = holder.firstElementChild;
        item.replaceWith(fresh);
        var next = fresh.querySelector("form[data-plan-toggle] button");
        if (next) { next.focus(); }
      }
      if (progress && data.progress_html) { progress.innerHTML = data.progress_html; }
      groupCounts();
      if (announcer) { announcer.textContent = data.message; }
    }).catch(function () {
      // Fall back to an ordinary form post.
      form.submit();
    });
  }

  document.addEventListener("submit", submit);
})();
