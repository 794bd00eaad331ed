"""Scrapy's FormRequest.from_response as the oracle for dragline's FormRequest.fromResponse.

Prints JSON: for each page and options written below, the page (its bytes in base64, its
Content-Type) and the request Scrapy builds (url, method, body as a latin1 string, Content-Type),
or the error it raises. Run with /usr/bin/python3 (the interpreter that has Scrapy):

    /usr/bin/python3 test/oracle/forms.py > test/fixtures/oracle/forms.json

Cases marked "disabled" hold disabled controls, which a browser does not submit and dragline leaves
out but Scrapy 2.8 submits: for them the expected answer is Scrapy's on the same page with the
disabled controls removed ("asIs" keeps Scrapy's answer on the page as written). Cases with a
"bodyFormat" have a form whose enctype asks for a multipart/form-data or text/plain body, which
dragline sends where Scrapy url-encodes: the test compares their fields with Scrapy's.
"""
import base64
import json
import re
import sys

import lxml.html
from scrapy.http import FormRequest, HtmlResponse

PAGE = "http://www.example.com/app/login.html"

LOGIN = """<html><head><title>Log in</title></head><body>
<form action="/login" method="post" id="login">
  <input type="hidden" name="csrf_token" value="a1b2c3d4e5">
  <label>User <input type="text" name="username"></label>
  <label>Password <input type="password" name="password"></label>
  <input type="checkbox" name="remember" value="yes">
  <input type="submit" name="commit" value="Log in">
</form></body></html>"""

TWO_FORMS = """<html><body>
<form name="search" class="search" action="/search" method="get">
  <input name="q" value="books"><button type="submit" name="go" value="1">Go</button>
</form>
<div id="main">
<form name="signup" id="signup-form" action="signup.php" method="post">
  <fieldset><input name="email" value="me@example.org"></fieldset>
  <input type="submit" name="send" value="Sign up">
</form>
</div>
<p id="outside">no form here</p>
</body></html>"""

BUTTONS = """<html><body><form action="/save" method="post">
  <input type="hidden" name="id" value="7">
  <input type="text" name="title" value="Draft">
  <button type="button" name="preview" value="p">Preview</button>
  <button type="reset" name="reset" value="r">Reset</button>
  <input type="submit" name="action" value="save">
  <input type="submit" name="action" value="publish">
  <input type="image" name="img" src="go.png" value="pic">
  <button name="delete" value="yes" class="danger">Delete</button>
</form></body></html>"""


def form(inner, attrs='action="/submit" method="post"'):
    return f"<html><body><form {attrs}>{inner}</form></body></html>"


CASES = [
    # Login forms: the hidden CSRF token travels with the credentials.
    dict(name="login with csrf token", html=LOGIN, options={"formdata": {"username": "john", "password": "secret"}}),
    dict(name="login by formid", html=LOGIN, options={"formid": "login", "formdata": {"username": "j d", "password": "p&ss=w+rd"}}),
    dict(name="login as GET form", html=LOGIN.replace('method="post"', 'method="get"'), options={"formdata": {"username": "john", "password": "x"}}),
    dict(name="login replaces the token", html=LOGIN, options={"formdata": {"csrf_token": "other", "username": "u"}}),
    dict(name="login removes the token with null", html=LOGIN, options={"formdata": {"csrf_token": None, "username": "u"}}),
    dict(name="login without clicking", html=LOGIN, options={"dontClick": True, "formdata": {"username": "u"}}),
    dict(name="login with an extra header", html=LOGIN, options={"formdata": {"username": "u"}, "headers": {"X-Requested-With": "XMLHttpRequest"}}),
    dict(name="own content type is kept", html=LOGIN, options={"headers": {"content-type": "application/x-www-form-urlencoded; charset=UTF-8"}}),
    # Where the form goes.
    dict(name="no action: the page", html=form('<input name="a" value="1">', 'method="post"'), options={}),
    dict(name="empty action: the page", html=form('<input name="a" value="1">', 'action="" method="post"'), options={}),
    dict(name="relative action", html=form('<input name="a" value="1">', 'action="../cgi/submit.php" method="post"'), options={}),
    dict(name="absolute action", html=form('<input name="a" value="1">', 'action="https://other.example.org/x/y" method="post"'), options={}),
    dict(name="action with spaces around", html=form('<input name="a" value="1">', 'action="  \n/trim/me \t" method="post"'), options={}),
    dict(name="action with a query, POST keeps it", html=form('<input name="a" value="1">', 'action="/p?x=1&y=2" method="post"'), options={}),
    dict(name="base href", html='<html><head><base href="http://static.example.com/base/"></head><body><form action="post.cgi" method="post"><input name="a" value="1"></form></body></html>', options={}),
    dict(name="base href and no action", html='<html><head><base href="http://static.example.com/base/index.html"></head><body><form method="post"><input name="a" value="1"></form></body></html>', options={}),
    dict(name="relative base href", html='<html><head><base href="/other/dir/"></head><body><form action="go" method="post"><input name="a" value="1"></form></body></html>', options={}),
    dict(name="url option replaces the action", html=form('<input name="a" value="1">'), options={"url": "/elsewhere?z=9"}),
    dict(name="page url with a query and no action", html=form('<input name="a" value="1">', 'method="get"'), url="http://www.example.com/app/list?page=2&sort=asc", options={}),
    # Methods.
    dict(name="GET replaces the action's query, keeps its fragment", html=form('<input name="q" value="new one">', 'action="/search?old=1#results" method="get"'), options={}),
    dict(name="GET form without fields keeps the action's query", html=form('<p>nothing</p>', 'action="/search?old=1" method="get"'), options={}),
    dict(name="POST form without fields has no body", html=form('<p>nothing</p>', 'action="/empty" method="post"'), options={}),
    dict(name="no method is GET", html=form('<input name="a" value="1">', 'action="/g"'), options={}),
    dict(name="method PUT submits as GET", html=form('<input name="a" value="1">', 'action="/g" method="put"'), options={}),
    dict(name="method dialog submits as GET", html=form('<input name="a" value="1">', 'action="/g" method="dialog"'), options={}),
    dict(name="method in capitals", html=form('<input name="a" value="1">', 'action="/g" method="POST"'), options={}),
    dict(name="method option get on a POST form", html=form('<input name="a" value="1">'), options={"method": "get"}),
    dict(name="method option POST on a GET form", html=form('<input name="a" value="1">', 'action="/g" method="get"'), options={"method": "POST"}),
    dict(name="method option PUT submits as GET", html=form('<input name="a" value="1">'), options={"method": "PUT"}),
    # enctype: Scrapy always url-encodes; dragline, as a browser, sends multipart/form-data and
    # text/plain bodies, compared here field by field with Scrapy's (bodyFormat).
    dict(name="multipart form", bodyFormat="multipart", html=form('<input name="a" value="1">', 'action="/up" method="post" enctype="multipart/form-data"'), options={}),
    dict(name="multipart login with csrf token", bodyFormat="multipart", html=LOGIN.replace('method="post"', 'method="post" enctype="multipart/form-data"'), options={"formdata": {"username": "john", "password": "s3cret &=+"}}),
    dict(name="multipart with repeated names and unicode", bodyFormat="multipart", html=form('<input name="t" value="a"><input name="t" value="b"><textarea name="x">line 1\nline 2</textarea><select name="m" multiple><option selected>ü</option><option selected>☕</option></select>', 'action="/up" method="post" enctype="multipart/form-data"'), options={"formdata": [["extra", "x y"], ["extra", ""]]}),
    dict(name="multipart enctype in capitals", bodyFormat="multipart", html=form('<input name="a" value="1">', 'action="/up" method="post" enctype="Multipart/Form-Data"'), options={}),
    dict(name="multipart on a shift_jis page", bodyFormat="multipart", charset="shift_jis", html=form('<input name="kw" value="東京">', 'action="/up" method="post" enctype="multipart/form-data"'), options={"formdata": {"名前": "カタカナ"}}),
    dict(name="multipart GET form uses the query", html=form('<input name="a" value="1 2">', 'action="/up" method="get" enctype="multipart/form-data"'), options={}),
    dict(name="multipart form without fields has no body", html=form('', 'action="/up" method="post" enctype="multipart/form-data"'), options={}),
    dict(name="text/plain form", bodyFormat="text/plain", html=form('<input name="a" value="1 2"><input name="b" value="x&amp;y">', 'action="/t" method="post" enctype="text/plain"'), options={}),
    dict(name="unknown enctype is url-encoded", html=form('<input name="a" value="1 2">', 'action="/t" method="post" enctype="application/json"'), options={}),
    # Inputs.
    dict(name="input without type", html=form('<input name="plain" value="v">'), options={}),
    dict(name="input without value", html=form('<input name="empty"><input type="text" name="t">'), options={}),
    dict(name="inputs without a name are skipped", html=form('<input value="x"><input name="" value="y"><input name="z" value="1">'), options={}),
    dict(name="every text-like type", html=form(
        '<input type="text" name="text" value="1"><input type="password" name="password" value="2">'
        '<input type="hidden" name="hidden" value="3"><input type="email" name="email" value="a@b.c">'
        '<input type="number" name="number" value="4"><input type="search" name="search" value="5">'
        '<input type="tel" name="tel" value="6"><input type="url" name="url" value="http://x/"><input type="date" name="date" value="2024-01-02">'
        '<input type="color" name="color" value="#ff0000"><input type="range" name="range" value="50">'
        '<input type="file" name="file" value="f.txt"><input type="button" name="button" value="b"><input type="weird" name="weird" value="w">'), options={}),
    dict(name="reset, submit and image inputs are not fields", html=form('<input type="reset" name="r" value="1"><input type="image" name="i" value="2"><input name="k" value="3">'), options={"dontClick": True}),
    dict(name="input types in capitals", html=form('<input type="HIDDEN" name="h" value="1"><input type="Reset" name="r" value="2"><input type="CheckBox" name="c" value="3"><input type="RADIO" name="r2" value="4" checked>'), options={}),
    dict(name="values with reserved characters", html=form('<input name="q" value="a b&amp;c=d+e/f?g#h%i~j*k\'l(m)n!o,p;q:r@s$t">'), options={}),
    dict(name="names with reserved characters", html=form('<input name="user[name]" value="x"><input name="a b" value="y"><input name="é" value="ü">'), options={}),
    dict(name="unicode values in utf-8", html=form('<input name="drink" value="café ☕"><input name="jp" value="日本語"><input name="nbsp" value="a&nbsp;b">'), options={}),
    dict(name="entities in values", html=form('<input name="e" value="&lt;tag&gt; &quot;q&quot; &#39;s&#39; &copy;">'), options={}),
    dict(name="inputs outside the form are ignored", html='<html><body><input name="before" value="1"><form action="/f" method="post"><input name="in" value="2"></form><input name="after" value="3"></body></html>', options={}),
    dict(name="upper-case markup", html='<HTML><BODY><FORM ACTION="/UP" METHOD="POST"><INPUT TYPE="TEXT" NAME="Field" VALUE="V"><SELECT NAME="S"><OPTION VALUE="o1">One<OPTION VALUE="o2" SELECTED>Two</SELECT></FORM></BODY></HTML>', options={}),
    dict(name="same name twice", html=form('<input type="hidden" name="tag" value="a"><input type="hidden" name="tag" value="b">'), options={}),
    # Checkboxes and radios.
    dict(name="checked and unchecked checkboxes", html=form('<input type="checkbox" name="c1" value="yes" checked><input type="checkbox" name="c2" value="no">'), options={}),
    dict(name="checkbox without value is on", html=form('<input type="checkbox" name="agree" checked>'), options={}),
    dict(name="checkbox with empty value is on", html=form('<input type="checkbox" name="agree" value="" checked>'), options={}),
    dict(name="checked=false is still checked", html=form('<input type="checkbox" name="c" value="1" checked="false">'), options={}),
    dict(name="several checkboxes with one name", html=form('<input type="checkbox" name="t" value="a" checked><input type="checkbox" name="t" value="b"><input type="checkbox" name="t" value="c" checked>'), options={}),
    dict(name="radio group with one checked", html=form('<input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked><input type="radio" name="size" value="l">'), options={}),
    dict(name="radio group with none checked", html=form('<input type="radio" name="size" value="s"><input type="radio" name="size" value="m"><input name="x" value="1">'), options={}),
    # Selects.
    dict(name="select with a selected option", html=form('<select name="s"><option value="1">One</option><option value="2" selected>Two</option></select>'), options={}),
    dict(name="select without selected takes the first", html=form('<select name="s"><option value="1">One</option><option value="2">Two</option></select>'), options={}),
    dict(name="select with two selected takes the last", html=form('<select name="s"><option value="1" selected>One</option><option value="2">Two</option><option value="3" selected>Three</option></select>'), options={}),
    dict(name="options without value submit their text", html=form('<select name="s"><option>  First one </option><option selected>\n  Second  one\n</option></select>'), options={}),
    dict(name="selected option with an empty value", html=form('<select name="s"><option value="">Choose</option><option value="x">X</option></select>'), options={}),
    dict(name="select without options", html=form('<select name="s"></select><input name="k" value="1">'), options={}),
    dict(name="select without name", html=form('<select><option value="1" selected>One</option></select><input name="k" value="1">'), options={}),
    dict(name="select with optgroups", html=form('<select name="car"><optgroup label="Swedish"><option value="volvo">Volvo</option></optgroup><optgroup label="German"><option value="audi" selected>Audi</option></optgroup></select>'), options={}),
    dict(name="option text with entities", html=form('<select name="s"><option selected>Fish &amp; Chips</option></select>'), options={}),
    dict(name="multiple select with two selected", html=form('<select name="m" multiple><option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option></select>'), options={}),
    dict(name="multiple select with none selected", html=form('<select name="m" multiple><option value="a">A</option></select><input name="k" value="1">'), options={}),
    dict(name="multiple select with empty values uses text", html=form('<select name="m" multiple><option value="" selected> Text A </option><option value=" b " selected>B</option></select>'), options={}),
    dict(name="select in the middle keeps document order", html=form('<input name="a" value="1"><select name="s"><option>x</option></select><textarea name="t">hi</textarea><input name="z" value="2">'), options={}),
    # Textareas.
    dict(name="textarea", html=form('<textarea name="comment">Line one\nLine &amp; two</textarea>'), options={}),
    dict(name="empty textarea", html=form('<textarea name="comment"></textarea>'), options={}),
    dict(name="textarea with markup inside", html=form('<textarea name="c"><b>not bold</b></textarea>'), options={}),
    # Buttons and clicking.
    dict(name="first submit control is clicked", html=BUTTONS, options={}),
    dict(name="dontClick submits no button", html=BUTTONS, options={"dontClick": True}),
    dict(name="clickdata by value", html=BUTTONS, options={"clickdata": {"value": "publish"}}),
    dict(name="clickdata by name and value", html=BUTTONS, options={"clickdata": {"name": "action", "value": "save"}}),
    dict(name="clickdata by name of a button", html=BUTTONS, options={"clickdata": {"name": "delete"}}),
    dict(name="clickdata by class", html=BUTTONS, options={"clickdata": {"class": "danger"}}),
    dict(name="clickdata picks an image input", html=BUTTONS, options={"clickdata": {"type": "image"}}),
    dict(name="clickdata nr picks an input", html=BUTTONS, options={"clickdata": {"nr": 3}}),
    dict(name="clickdata nr picks a text input", html=BUTTONS, options={"clickdata": {"nr": 1}}),
    dict(name="clickdata nr counts from the end", html=BUTTONS, options={"clickdata": {"nr": -1}}),
    dict(name="clickdata nr out of range matches nothing", html=BUTTONS, options={"clickdata": {"nr": 20}}),
    dict(name="clickdata matching nothing", html=BUTTONS, options={"clickdata": {"name": "nope"}}),
    dict(name="clickdata matching two", html=BUTTONS, options={"clickdata": {"name": "action"}}),
    dict(name="clickdata in a form without buttons", html=form('<input name="a" value="1">'), options={"clickdata": {"name": "nope"}}),
    dict(name="formdata replaces the clicked button's value", html=BUTTONS, options={"formdata": {"action": "override"}}),
    dict(name="formdata pairs do not replace the clicked button", html=BUTTONS, options={"formdata": [["action", "override"]]}),
    dict(name="formdata null removes the clicked button", html=BUTTONS, options={"formdata": {"action": None}}),
    dict(name="button without type is a submit button", html=form('<input name="a" value="1"><button name="b" value="v">B</button>'), options={}),
    dict(name="button without value submits an empty value", html=form('<button name="b">B</button>'), options={}),
    dict(name="button of type button is not clicked", html=form('<button type="button" name="b" value="v">B</button><input type="submit" name="s" value="S">'), options={}),
    dict(name="submit input without name submits nothing", html=form('<input type="submit" value="Go"><input name="a" value="1">'), options={}),
    dict(name="submit input with an empty name", html=form('<input type="submit" name="" value="Go">'), options={}),
    dict(name="submit types in capitals", html=form('<button type="SUBMIT" name="b" value="1">B</button><input type="Submit" name="s" value="2">'), options={"clickdata": {"name": "s"}}),
    dict(name="submit before the fields is still last", html=form('<input type="submit" name="go" value="Go"><input name="a" value="1">'), options={}),
    # Picking the form.
    dict(name="first form by default", html=TWO_FORMS, options={}),
    dict(name="formname", html=TWO_FORMS, options={"formname": "signup"}),
    dict(name="formname not found falls back to formnumber", html=TWO_FORMS, options={"formname": "missing", "formnumber": 1}),
    dict(name="formid", html=TWO_FORMS, options={"formid": "signup-form"}),
    dict(name="formid not found falls back to the first", html=TWO_FORMS, options={"formid": "missing"}),
    dict(name="formnumber 1", html=TWO_FORMS, options={"formnumber": 1}),
    dict(name="formnumber -1 is the last", html=TWO_FORMS, options={"formnumber": -1}),
    dict(name="formnumber out of range", html=TWO_FORMS, options={"formnumber": 2}),
    dict(name="formnumber far below range", html=TWO_FORMS, options={"formnumber": -3}),
    dict(name="formxpath to a field picks its form", html=TWO_FORMS, options={"formxpath": '//input[@name="email"]'}),
    dict(name="formxpath to a form", html=TWO_FORMS, options={"formxpath": '//form[@name="signup"]'}),
    dict(name="formxpath matching nothing", html=TWO_FORMS, options={"formxpath": '//input[@name="nope"]'}),
    dict(name="formxpath outside any form", html=TWO_FORMS, options={"formxpath": '//p[@id="outside"]'}),
    dict(name="formxpath outside a form although others match", html=TWO_FORMS, options={"formxpath": '//p | //form'}),
    dict(name="formcss to a field", html=TWO_FORMS, options={"formcss": '#main input[name=email]'}),
    dict(name="formcss to a form by class", html=TWO_FORMS, options={"formcss": 'form.search'}),
    dict(name="formcss matching nothing", html=TWO_FORMS, options={"formcss": '.nothing'}),
    dict(name="formname wins over formxpath", html=TWO_FORMS, options={"formname": "search", "formxpath": '//form[@name="signup"]'}),
    dict(name="formid wins over formcss", html=TWO_FORMS, options={"formid": "signup-form", "formcss": 'form.search'}),
    dict(name="formcss wins over formxpath", html=TWO_FORMS, options={"formxpath": '//form[@name="search"]', "formcss": "#signup-form"}),
    dict(name="formxpath wins over formnumber", html=TWO_FORMS, options={"formxpath": '//form[@name="search"]', "formnumber": 1}),
    dict(name="page without a form", html="<html><body><p>No forms.</p></body></html>", options={}),
    dict(name="page without a form, with formname", html="<html><body><p>No forms.</p></body></html>", options={"formname": "x"}),
    # Table layouts: HTML parsing leaves a <form> opened between rows empty; its controls follow it.
    dict(name="form opened between table rows", html='<html><body><table><form action="/t" method="post"><tr><td><input name="a" value="1"></td><td><input type="submit" name="go" value="Go"></td></tr></form></table></body></html>', options={}),
    dict(name="form opened in a row", html='<html><body><table><tr><form action="/r" method="post"><td><input name="a" value="1"></td></form></tr><tr><td><input name="z" value="outside"></td></tr></table></body></html>', options={}),
    dict(name="second of two forms in rows", html='<html><body><table><tr><form action="/r1" method="post"><td><input name="a" value="1"></td></form></tr><tr><form action="/r2" method="post"><td><input name="b" value="2"></td></form></tr></table></body></html>', options={"formnumber": 1}),
    dict(name="hidden token directly in the table", html='<html><body><table><form action="/h" method="post"><input type="hidden" name="tok" value="x"><tr><td><input name="u" value="1"></td></tr></form></table><input name="after" value="2"></body></html>', options={"formdata": {"u": "me"}}),
    dict(name="form around a table", html='<html><body><form action="/ok" method="post"><table><tr><td><input name="a" value="1"></td></tr></table></form></body></html>', options={}),
    dict(name="form inside a table", html='<html><body><table><tr><td><form action="/t" method="post"><input name="a" value="1"></form></td></tr></table></body></html>', options={}),
    # formdata.
    dict(name="formdata adds a field", html=form('<input name="a" value="1">'), options={"formdata": {"b": "2"}}),
    dict(name="formdata replaces every field of that name", html=form('<input name="t" value="1"><input name="k" value="x"><input name="t" value="2">'), options={"formdata": {"t": "new"}}),
    dict(name="formdata list value", html=form('<input name="a" value="1">'), options={"formdata": {"tags": ["x", "y z"]}}),
    dict(name="formdata pairs with a repeated name", html=form('<input name="a" value="1">'), options={"formdata": [["b", "1"], ["c", "2"], ["b", "3"]]}),
    dict(name="formdata pairs replace a field", html=form('<input name="a" value="1"><input name="b" value="2">'), options={"formdata": [["a", "9"]]}),
    dict(name="formdata null for a missing field", html=form('<input name="a" value="1">'), options={"formdata": {"zzz": None}}),
    dict(name="formdata null in pairs removes", html=form('<input name="a" value="1"><input name="b" value="2">'), options={"formdata": [["a", None]]}),
    dict(name="formdata replaces a select and a checkbox", html=form('<select name="s"><option>1</option></select><input type="checkbox" name="c" value="on" checked>'), options={"formdata": {"s": "2", "c": "off"}}),
    dict(name="formdata with unicode and reserved characters", html=form('<input name="a" value="1">'), options={"formdata": {"q": "café ☕ & more=yes+no/~*'()", "ключ": "значение"}}),
    dict(name="empty formdata object", html=form('<input name="a" value="1">'), options={"formdata": {}}),
    dict(name="formdata empties a GET form", html=form('<input name="a" value="1">', 'action="/s?x=1" method="get"'), options={"formdata": {"a": None}}),
    dict(name="formdata on a form without fields", html=form('', 'action="/s" method="post"'), options={"formdata": {"only": "me"}}),
    # Pages in other encodings: the data goes in the page's encoding.
    dict(name="windows-1252 page", charset="windows-1252", html=form('<input name="city" value="Málaga"><input name="price" value="5 €">'), options={"formdata": {"name": "José"}}),
    dict(name="iso-8859-1 header means windows-1252", charset="iso-8859-1", html=form('<input name="city" value="Zürich">'), options={"formdata": {"q": "crème brûlée"}}),
    dict(name="shift_jis page", charset="shift_jis", html=form('<input name="kw" value="東京"><select name="s"><option>ひらがな</option></select>'), options={"formdata": {"name": "カタカナ"}}),
    dict(name="euc-jp page", charset="euc-jp", html=form('<input name="kw" value="大阪">', 'action="/s" method="get"'), options={}),
    dict(name="gbk page", charset="gbk", html=form('<input name="kw" value="北京">'), options={"formdata": {"q": "中文"}}),
    dict(name="big5 page", charset="big5", html=form('<input name="kw" value="臺北">'), options={}),
    dict(name="euc-kr page", charset="euc-kr", html=form('<input name="kw" value="서울">'), options={}),
    dict(name="koi8-r page", charset="koi8-r", html=form('<input name="kw" value="Москва">'), options={"formdata": {"q": "привет"}}),
    dict(name="a character the page's encoding lacks", charset="windows-1252", html=form('<input name="a" value="1">'), options={"formdata": {"q": "日本"}}),
    dict(name="utf-8 page", html=form('<input name="kw" value="Zürich">'), options={}),
    # Disabled controls: a browser leaves them out (Scrapy 2.8 does not).
    dict(name="disabled input", disabled=True, html=form('<input name="a" value="1" disabled><input name="b" value="2">'), options={}),
    dict(name="disabled textarea and select", disabled=True, html=form('<textarea name="t" disabled>x</textarea><select name="s" disabled><option>1</option></select><input name="b" value="2">'), options={}),
    dict(name="disabled checkbox", disabled=True, html=form('<input type="checkbox" name="c" value="1" checked disabled><input type="checkbox" name="d" value="2" checked>'), options={}),
    dict(name="disabled submit button is not clicked", disabled=True, html=form('<input type="submit" name="s1" value="first" disabled><input type="submit" name="s2" value="second">'), options={}),
    dict(name="disabled selected option", disabled=True, html=form('<select name="s"><option value="1">One</option><option value="2" selected disabled>Two</option></select>'), options={}),
    dict(name="disabled first option", disabled=True, html=form('<select name="s"><option value="1" disabled>One</option><option value="2">Two</option></select>'), options={}),
    dict(name="disabled fieldset", disabled=True, html=form('<fieldset disabled><input name="a" value="1"><button name="b" value="x">B</button></fieldset><input name="c" value="3"><button name="d" value="y">D</button>'), options={}),
    dict(name="disabled fieldset spares its first legend", disabled=True, html=form('<fieldset disabled><legend><input name="l" value="kept"></legend><input name="a" value="1"></fieldset>'), options={}),
    dict(name="disabled controls do not count for nr", disabled=True, html=form('<input name="a" value="1" disabled><input type="submit" name="s1" value="one"><input type="submit" name="s2" value="two">'), options={"clickdata": {"nr": 1}}),
    dict(name="formdata still adds a disabled field's name", disabled=True, html=form('<input name="a" value="1" disabled>'), options={"formdata": {"a": "mine"}}),
]


# FormRequest(url, formdata=…) itself. "encoding" is a WHATWG label (dragline's); CODECS maps it to Python's.
CONSTRUCTOR_CASES = [
    dict(name="object formdata is a POST", url="http://www.example.com/post", options={"formdata": {"a": "1", "b": "x y"}}),
    dict(name="pairs keep their order and repeats", url="http://www.example.com/post", options={"formdata": [["b", "2"], ["a", "1"], ["b", "3"]]}),
    dict(name="list values", url="http://www.example.com/post", options={"formdata": {"tag": ["x", "y"], "n": "1"}}),
    dict(name="GET puts the data in the query", url="http://www.example.com/s?old=1#frag", options={"formdata": {"q": "new"}, "method": "GET"}),
    dict(name="lower-case get", url="http://www.example.com/s", options={"formdata": {"q": "new"}, "method": "get"}),
    dict(name="PUT puts the data in the query too", url="http://www.example.com/s", options={"formdata": {"q": "1"}, "method": "PUT"}),
    dict(name="no formdata is a GET", url="http://www.example.com/plain", options={}),
    dict(name="empty formdata is a GET", url="http://www.example.com/plain", options={"formdata": {}}),
    dict(name="empty pairs are a GET", url="http://www.example.com/plain", options={"formdata": []}),
    dict(name="POST without formdata has no content type", url="http://www.example.com/plain", options={"method": "POST"}),
    dict(name="own content type wins", url="http://www.example.com/post", options={"formdata": {"a": "1"}, "headers": {"content-type": "text/plain"}}),
    dict(name="reserved and unicode characters", url="http://www.example.com/post", options={"formdata": {"q": "a b&c=d+e/f~g*h'i(j)k!l", "é": "☕"}}),
    dict(name="windows-1252 encoding", url="http://www.example.com/post", options={"formdata": {"city": "Málaga", "p": "5 €"}, "encoding": "windows-1252"}),
    dict(name="shift_jis encoding in a query", url="http://www.example.com/s", options={"formdata": {"kw": "東京"}, "method": "GET", "encoding": "shift_jis"}),
]

CODECS = {"windows-1252": "cp1252", "shift_jis": "shift_jis"}


def constructor_answer(case):
    kwargs = dict(case["options"])
    if "encoding" in kwargs:
        kwargs["encoding"] = CODECS[kwargs["encoding"]]
    return dict(case, expected=answer_of(FormRequest(case["url"], **kwargs)))


def strip_disabled(html):
    """The page without the controls a browser would not submit (see the module docstring)."""
    doc = lxml.html.document_fromstring(html)
    doomed = doc.xpath("//input[@disabled] | //select[@disabled] | //textarea[@disabled] | //button[@disabled] | //option[@disabled]")
    for fieldset in doc.xpath("//fieldset[@disabled]"):
        legends = fieldset.xpath("legend[1]")
        for control in fieldset.xpath(".//input | .//select | .//textarea | .//button"):
            if not (legends and legends[0] in control.iterancestors()):
                doomed.append(control)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return lxml.html.tostring(doc, encoding="unicode")


def kwargs_of(options):
    names = {"dontClick": "dont_click"}
    return {names.get(key, key): value for key, value in options.items()}


def scrapy_answer(url, body, content_type, options):
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
    try:
        request = FormRequest.from_response(response, **kwargs_of(options))
    except Exception as error:  # the oracle records which error Scrapy raises
        # Element reprs carry memory addresses, which change from run to run.
        return {"error": type(error).__name__, "message": re.sub(r"\b[0-9a-f]{9,16}\b", "ID", str(error))}
    return answer_of(request)


def answer_of(request):
    content_type = request.headers.get("Content-Type")
    return {
        "url": request.url,
        "method": request.method,
        "body": request.body.decode("latin1"),
        "contentType": None if content_type is None else content_type.decode("latin1"),
    }


def run(case):
    url = case.get("url", PAGE)
    # Every page declares its charset: without one Scrapy guesses (cp1252 for an ASCII page).
    charset = case.get("charset", "utf-8")
    content_type = f"text/html; charset={charset}"
    codec = {"windows-1252": "cp1252", "iso-8859-1": "cp1252"}.get(charset, charset)
    body = case["html"].encode(codec)
    out = {
        "name": case["name"],
        "url": url,
        "contentType": content_type,
        "body": base64.b64encode(body).decode("ascii"),
        "options": case["options"],
        "needsEncoding": codec != "utf-8",
    }
    if "bodyFormat" in case:
        out["bodyFormat"] = case["bodyFormat"]
    if case.get("disabled"):
        out["disabled"] = True
        out["asIs"] = scrapy_answer(url, body, content_type, case["options"])
        body = strip_disabled(case["html"]).encode(codec)
    out["expected"] = scrapy_answer(url, body, content_type, case["options"])
    return out


if __name__ == "__main__":
    answers = {"fromResponse": [run(case) for case in CASES], "constructorCases": [constructor_answer(case) for case in CONSTRUCTOR_CASES]}
    json.dump(answers, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
