package io.paperwire.notify.rest;

import io.paperwire.notify.readmodel.ReadModelService;
import io.paperwire.notify.readmodel.TrendingPaper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /}: what is trending now. Titles and abstracts are user text: the template escapes them. */
@Path("/")
public class HomePage {

    private static final int SHOWN = 30;
    private final ReadModelService readModel;

    public HomePage(ReadModelService readModel) {
        this.readModel = readModel;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(List<TrendingPaper> papers);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance home() {
        return Templates.home(readModel.trending(SHOWN));
    }
}
