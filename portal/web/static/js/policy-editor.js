// 惠企通 — the criteria builder of the policy form. It narrows each row's
// operators to those of its field, hints what to type as the value, adds
// and removes rows, and previews how many enterprises the conditions
// admit. The form works without it: the server renders blank rows, keeps
// typed rows on errors and validates everything.
(function () {
  "use strict";

  const form = document.getElementById("policy-form");
  const box = form && form.querySelector("[data-criteria]");
  if (!box) {
    return;
  }
  const rows = box.querySelector("[data-crit-rows]");
  const addButton = box.querySelector("[data-crit-add]");
  const previewButton = box.querySelector("[data-preview-button]");
  const output = box.querySelector("[data-preview-result]");

  let opList = [];
  try {
    opList = JSON.parse(box.getAttribute("data-op-names") || "[]");
  } catch (e) {
    opList = [];
  }
  const opNames = new Map(opList);
  const allOps = opList.map((pair) => pair[0]);

  const part = (row, name) => row.querySelector("[data-crit-" + name + "]");
  const allRows = () => Array.from(rows.querySelectorAll("[data-crit-row]"));

  // syncRow offers the operators of the row's field and hints its value.
  function syncRow(row) {
    const field = part(row, "field");
    const op = part(row, "op");
    const chosen = field.options[field.selectedIndex];
    const listed = chosen ? chosen.getAttribute("data-ops") : "";
    const ops = listed ? listed.split(" ") : allOps;
    const keep = op.value;
    op.replaceChildren(...ops.map((o) => new Option(opNames.get(o) || o, o)));
    if (ops.includes(keep)) {
      op.value = keep;
    }
    part(row, "value").placeholder = (chosen && chosen.getAttribute("data-hint")) || "";
  }

  // clearMark removes a message the server or a preview put on a row.
  function clearMark(row) {
    row.classList.remove("crit-row-invalid");
    row.querySelectorAll(".crit-error").forEach((el) => el.remove());
    const value = part(row, "value");
    value.removeAttribute("aria-invalid");
    value.removeAttribute("aria-describedby");
  }

  function mark(row, message) {
    const note = document.createElement("small");
    note.className = "crit-error";
    note.id = "crit-error-" + allRows().indexOf(row);
    note.textContent = message;
    row.classList.add("crit-row-invalid");
    row.appendChild(note);
    const value = part(row, "value");
    value.setAttribute("aria-invalid", "true");
    value.setAttribute("aria-describedby", note.id);
  }

  function clearRow(row) {
    row.querySelectorAll("input").forEach((input) => {
      input.value = "";
    });
    part(row, "field").value = "";
    clearMark(row);
    syncRow(row);
  }

  function wire(row) {
    part(row, "field").addEventListener("change", () => syncRow(row));
    const remove = part(row, "remove");
    remove.hidden = false;
    remove.addEventListener("click", () => {
      if (allRows().length > 1) {
        row.remove();
      } else {
        clearRow(row);
      }
    });
  }

  allRows().forEach(wire);

  addButton.hidden = false;
  addButton.addEventListener("click", () => {
    const last = allRows().pop();
    const row = last.cloneNode(true);
    rows.appendChild(row);
    clearRow(row);
    wire(row);
    part(row, "field").focus();
  });

  function describe(counts) {
    return "全部 " + counts.total + " 家企业中：符合条件 " + counts.eligible + " 家，差一个条件 " +
      counts.near_miss + " 家，需补充信息 " + counts.needs_info + " 家，不符合 " + counts.ineligible + " 家。";
  }

  previewButton.hidden = false;
  previewButton.addEventListener("click", async () => {
    allRows().forEach(clearMark);
    output.classList.remove("preview-error");
    output.textContent = "正在计算…";
    previewButton.disabled = true;
    previewButton.setAttribute("aria-busy", "true");
    const token = document.querySelector('meta[name="csrf-token"]');
    try {
      const res = await fetch(form.getAttribute("data-preview"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": token ? token.content : "" },
        body: new URLSearchParams(new FormData(form)),
      });
      const body = await res.json();
      if (res.ok) {
        output.textContent = describe(body);
        return;
      }
      const err = body.error || {};
      const fields = err.fields || {};
      const list = allRows();
      const other = [];
      Object.keys(fields).forEach((key) => {
        const m = /^criteria\[(\d+)\]$/.exec(key);
        if (m && list[Number(m[1])]) {
          mark(list[Number(m[1])], fields[key]);
        } else {
          other.push(fields[key]);
        }
      });
      output.classList.add("preview-error");
      output.textContent = [err.message || "预览失败"].concat(other).join("；");
    } catch (e) {
      output.classList.add("preview-error");
      output.textContent = "预览失败，请检查网络后重试。";
    } finally {
      previewButton.disabled = false;
      previewButton.removeAttribute("aria-busy");
    }
  });
})();
