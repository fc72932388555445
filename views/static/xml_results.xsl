<?xml version="1.0" encoding="UTF-8"?>
<!-- GraphTool's xml_results.xsl, the appliance's version: a browser opening /gratia/xml/... sees the index or the results as a page,
     with links to the interactive page (/gratia/html/...) and the graph. Scripts read the XML itself and never apply this. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/graphtool">
    <html>
      <head>
        <title><xsl:value-of select="html_title"/></title>
        <link rel="stylesheet" href="/static/appliance.css"/>
      </head>
      <body>
        <main>
          <h1><xsl:value-of select="html_title"/></h1>
          <xsl:apply-templates select="pagelist"/>
          <xsl:apply-templates select="query"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="pagelist">
    <section class="card">
      <h2><xsl:value-of select="@name"/></h2>
      <ul class="links">
        <xsl:for-each select="page">
          <li><a href="{.}"><xsl:value-of select="@title"/></a></li>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>

  <xsl:template match="query">
    <section class="card">
      <h2><xsl:value-of select="title"/></h2>
      <p>
        <xsl:variable name="params">
          <xsl:for-each select="sqlvars/var">
            <xsl:if test="position() &gt; 1">&amp;</xsl:if>
            <xsl:value-of select="@name"/>=<xsl:call-template name="url-encode"><xsl:with-param name="text" select="."/></xsl:call-template>
          </xsl:for-each>
        </xsl:variable>
        <a href="/gratia/html/{@name}?{$params}">Interactive page</a>
        <xsl:if test="url"> · <a href="{url}">Graph</a></xsl:if>
      </p>
      <xsl:if test="error">
        <p class="error"><xsl:value-of select="error"/></p>
      </xsl:if>
      <h3>Parameters</h3>
      <table>
        <xsl:for-each select="sqlvars/var">
          <tr><th><xsl:value-of select="@name"/></th><td><xsl:value-of select="."/></td></tr>
        </xsl:for-each>
      </table>
      <h3>Data</h3>
      <table>
        <xsl:for-each select="data/pivot">
          <xsl:variable name="pivot" select="@name"/>
          <xsl:choose>
            <xsl:when test="group">
              <xsl:for-each select="group">
                <tr><td><xsl:value-of select="$pivot"/></td><td><xsl:value-of select="@value"/></td>
                  <xsl:for-each select="d"><td><xsl:value-of select="."/></td></xsl:for-each></tr>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <tr><td><xsl:value-of select="$pivot"/></td>
                <xsl:for-each select="d"><td><xsl:value-of select="."/></td></xsl:for-each></tr>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </table>
      <h3>SQL</h3>
      <pre><xsl:value-of select="sql"/></pre>
    </section>
  </xsl:template>

  <!-- The characters a query string gives a meaning to (XSLT 1.0 has no encode-for-uri); the browser encodes the rest.
       A regex filter such as cms.+ keeps its plus, a value with & or # stays one value. -->
  <xsl:template name="url-encode">
    <xsl:param name="text"/>
    <xsl:if test="$text != ''">
      <xsl:variable name="c" select="substring($text, 1, 1)"/>
      <xsl:choose>
        <xsl:when test="$c = '%'">%25</xsl:when>
        <xsl:when test="$c = '&amp;'">%26</xsl:when>
        <xsl:when test="$c = '+'">%2B</xsl:when>
        <xsl:when test="$c = '#'">%23</xsl:when>
        <xsl:when test="$c = '='">%3D</xsl:when>
        <xsl:when test="$c = ' '">%20</xsl:when>
        <xsl:otherwise><xsl:value-of select="$c"/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="url-encode"><xsl:with-param name="text" select="substring($text, 2)"/></xsl:call-template>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
