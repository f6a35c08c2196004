// The header's menu on a phone: the site's links, the hromadas and the languages behind one
// button. Without JavaScript (or on a wide screen) everything is shown.

import { disclosure } from "./disclosure.js";

const button = document.getElementById("menu-button");
const menu = document.getElementById("site-menu");
if (button && menu) {
  disclosure(button, menu);
}
